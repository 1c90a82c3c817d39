"""What other apps may add to the ledger's pages (anjian.lib.slots), and what a ledger row
shows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from anjian.lib.slots import Slot

# One hazard's page: the notices that name it …
HAZARD_PAGE = Slot("hazard page")

# The ledger page, above its list, given the page's filter form (bound or not, valid or
# not): the total and the quick filters' counts …
LEDGER_PAGE = Slot("ledger page")


# What a ledger row shows, read as values: a page of 50 as three model instances a row (the
# hazard, its enterprise, its finder) costs three times as long to load.
LEDGER_COLUMNS = (
    "id", "found_on", "name", "level", "source", "status", "deadline", "finder",
    "enterprise_id", "enterprise__name", "found_by_id", "found_by__display_name",
    "found_by__username", "found_by_name",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One row of the ledger page (hazards/_table.html)."""

    pk: int
    found_on: datetime.date
    name: str
    level: str
    source: str
    status: str
    deadline: datetime.date | None
    finder: str
    enterprise_id: int
    enterprise_name: str
    # Who found it: the person's name, else the name recorded with it (an import's).
    found_by: str

    @classmethod
    def of(cls, r: dict[str, Any]) -> LedgerRow:
        person = r["found_by__display_name"] or r["found_by__username"]
        return cls(
            r["id"], r["found_on"], r["name"], r["level"], r["source"], r["status"],
            r["deadline"], r["finder"], r["enterprise_id"], r["enterprise__name"],
            (person if r["found_by_id"] else r["found_by_name"]) or "",
        )  # fmt: skip
