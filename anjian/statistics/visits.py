"""Field work's figures: visits and checks by kind and outcome, for a period and an area.

A check is a visit that found the door open (outcome "inspected"); the other outcomes
(closed down, locked, moved …) are visits, not checks, and are counted apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from anjian.fieldwork.models import VisitKind
from anjian.lib.periods import Period
from anjian.statistics.figures import Board, Grouped

Area = Mapping[str, Any]


def visited_in(period: Period) -> dict[str, Any]:
    return {"visited_from": period.start, "visited_to": period.end}


def headline(board: Board, period: Period, area: Area, suffix: str = "") -> None:
    base = {**area, **visited_in(period)}
    board.count(f"visits.all{suffix}", _("Visits"), "visits", base)
    board.count(f"visits.checks{suffix}", _("Checks"), "visits", {**base, "outcome": "checks"})
    board.count(
        f"visits.patrols{suffix}",
        _("Grid patrols"),
        "visits",
        {**base, "kind": VisitKind.PATROL},
    )
    board.count(
        f"visits.inspections{suffix}",
        _("Administrative inspections"),
        "visits",
        {**base, "kind": VisitKind.INSPECTION, "outcome": "checks"},
    )
    board.count(
        f"visits.not_checked{suffix}",
        _("Visits that found no one to check"),
        "visits",
        {**base, "outcome": "other"},
    )


def by_kind(board: Board, period: Period, area: Area) -> Grouped:
    base = {**area, **visited_in(period)}
    measures = {
        "visits": (_("Visits"), base),
        "checks": (_("Checks"), {**base, "outcome": "checks"}),
    }
    return board.grouped("visits.kind", "visits", "kind", measures, list(VisitKind.values))


def mine(board: Board, period: Period, kind: str) -> None:
    """The reader's own visits of one kind in the period (a grid worker's patrols)."""
    board.count(
        f"visits.mine.{kind}",
        _("My visits"),
        "visits",
        {**visited_in(period), "kind": kind, "mine": True},
    )
