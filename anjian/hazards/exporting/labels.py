"""What every export of the ledger prints the same way: the Chinese labels of the codes,
people's names, local times, and the order and chunk size rows are read in."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation

from anjian.enterprises.models import Sector
from anjian.hazards.models import (
    Finder,
    HazardType,
    Level,
    ManagementClass,
    RectifyType,
    Source,
    Status,
    overdue,
)

# Rows fetched per database round trip: big enough to keep trips few, small enough that a
# chunk's dicts are a rounding error next to the workbook.
CHUNK = 1000
LEDGER_ORDER = ("-found_on", "-id")


@dataclass(frozen=True)
class Labels:
    """Chinese labels of every code the exports print, read once before streaming starts.

    The exports are the zone's paperwork and are written in Chinese whatever the reader's
    language (as the registry export is). Reading them once also keeps translation.override
    out of the generators, where it would leak into the caller between yields.
    """

    level: dict[str, str]
    source: dict[str, str]
    rectify_type: dict[str, str]
    hazard_type: dict[str, str]
    management_class: dict[str, str]
    finder: dict[str, str]
    status: dict[str, str]
    sector: dict[str, str]

    @classmethod
    def zh(cls) -> Labels:
        with translation.override("zh-hans"):
            return cls(
                *(
                    {value: str(label) for value, label in choices.choices}
                    for choices in (
                        Level,
                        Source,
                        RectifyType,
                        HazardType,
                        ManagementClass,
                        Finder,
                        Status,
                        Sector,
                    )
                )
            )


def person(r: dict[str, Any], prefix: str) -> str:
    """A user's name from a `.values()` row: the full name, else the login name, else the
    name an imported ledger gave (a person with no account here)."""
    return r[f"{prefix}__display_name"] or r[f"{prefix}__username"] or r.get(f"{prefix}_name") or ""


def local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Local wall-clock time without a zone: Excel has no time zones, and openpyxl refuses
    aware datetimes."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def is_overdue(r: dict[str, Any], today: datetime.date) -> bool:
    return overdue(r["status"], r["deadline"], today)
