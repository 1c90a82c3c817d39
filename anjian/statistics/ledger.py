"""The ledger answers its own questions: how many hazards the filters keep (共 N 条), and how
many each quick filter would keep on top of them — counted by one Board, shown in the
ledger page's slot (hazards.pages.LEDGER_PAGE) so the ledger does not import statistics.

A quick filter is added to the filters already chosen, not put in their place: an officer who
has narrowed the ledger to one grid, one enterprise or a search asks "how many of these are
overdue?", not "how many are overdue anywhere". A quick filter that sets the state (open,
overdue, awaiting acceptance) replaces the state chosen, as the state drop-down would.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anjian.hazards.filters import HazardFilter
from anjian.hazards.models import Level
from anjian.statistics.figures import Board, Figure

# (key, label, the filters it adds)
QUICK_FILTERS: list[tuple[str, str | Promise, dict[str, Any]]] = [
    ("mine", _("Found by me"), {"mine": True}),
    ("open", pgettext_lazy("hazard state", "Open"), {"state": "open"}),
    ("overdue", _("Overdue"), {"state": "overdue"}),
    # The national interface's 待验收: a general hazard's fix, or a major one's write-off.
    ("awaiting", _("Awaiting acceptance"), {"state": "awaiting"}),
    ("major", _("Major hazards"), {"level": Level.MAJOR}),
]
# Not a filter: a new filter starts the list again from its first page.
NOT_FILTERS = ("cursor",)


@dataclass
class QuickFilter:
    key: str
    figure: Figure
    # The filters chosen already include it: the link shows the same list.
    active: bool


def ledger_counts(
    request: HttpRequest, form: HazardFilter, *, wait: bool = False
) -> dict[str, Any] | None:
    """The total and the quick filters' counts for the ledger as `form` filters it; nothing
    when its filters are bad (the page names them: no count is better than a wrong one).

    A free-text search is counted by reading every row in scope (no index counts a
    substring: over a city's 700,000 hazards, seconds), where its page of rows is found in
    milliseconds. So the ledger page does not wait for a search's counts unless they are
    kept: it lists its rows at once and its panel fetches them (`deferred`, the address of
    ledger_counts_panel) when the page has loaded. Other filters' counts are read from the
    tallies or an index and shown with the page. `wait`: count them now."""
    if form.is_bound and not form.is_valid():
        return None
    chosen = {k: v for k, v in form.data.items() if k not in NOT_FILTERS}
    cleaned = form.cleaned_data if form.is_bound else {}
    board = Board(form.user)
    total = board.count("ledger.total", _("In all"), "hazards", chosen)
    quick = [
        QuickFilter(
            key,
            board.count(f"ledger.{key}", label, "hazards", {**chosen, **adds}),
            all(cleaned.get(name) == value for name, value in adds.items()),
        )
        for key, label, adds in QUICK_FILTERS
    ]
    searched = bool((cleaned.get("q") or "").strip())
    board.evaluate(kept_only=searched and not wait)
    if not board.complete:
        query = request.GET.copy()
        for name in NOT_FILTERS:
            query.pop(name, None)
        return {"deferred": f"{reverse('statistics:ledger_counts')}?{query.urlencode()}"}
    return {"total": total, "quick": quick}
