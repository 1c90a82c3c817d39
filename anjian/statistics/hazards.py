"""The ledger's figures, declared on a Board: what was found, rectified (and on time), open,
overdue and major, for a period and an area, with the list behind each.

Definitions (each one a filter of the ledger, so the list shows exactly what is counted):

- found: hazards found in the period, void ones left out (a void hazard was recorded in
  error);
- of them rectified: those found in the period that are closed now (accepted, or a major
  hazard written off) — the rectification rate is these over found (16号令's 整改率);
- rectified: hazards closed in the period, whenever found; on time: closed on or before the
  day of their deadline (a hazard fixed on the spot has none and is on time);
- open / overdue / awaiting: as the ledger stands now, whenever found;
- the per-area tables follow the period's cohort: found in the period, of them closed, of
  them overdue now.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Avg, DurationField, ExpressionWrapper, F
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import User
from anjian.hazards.models import Hazard, HazardType, Level
from anjian.lib.periods import Period
from anjian.statistics import tallies
from anjian.statistics.figures import SOURCES, Board, Figure, Grouped, Measures, condition

Area = Mapping[str, Any]


def found_in(period: Period) -> dict[str, Any]:
    return {"found_from": period.start, "found_to": period.end}


def closed_in(period: Period) -> dict[str, Any]:
    return {"closed_from": period.start, "closed_to": period.end}


def headline(board: Board, period: Period, area: Area, suffix: str = "") -> None:
    """The period's figures: found, rectified and the rates. `suffix` tells two periods'
    figures apart on one board (".previous")."""
    found = {**area, **found_in(period)}
    closed = {**area, **closed_in(period)}
    k = f"hazards.{{}}{suffix}"
    board.count(k.format("found"), _("Hazards found"), "hazards", {**found, "state": "valid"})
    board.count(
        k.format("found_rectified"),
        _("Of them rectified"),
        "hazards",
        {**found, "state": "closed"},
    )
    board.rate(
        k.format("rectification_rate"),
        _("Rectification rate"),
        k.format("found_rectified"),
        k.format("found"),
    )
    board.count(
        k.format("major_found"),
        _("Major hazards found"),
        "hazards",
        {**found, "state": "valid", "level": Level.MAJOR},
    )
    board.count(k.format("rectified"), _("Rectified in the period"), "hazards", closed)
    board.count(
        k.format("rectified_on_time"),
        _("Of them by the deadline"),
        "hazards",
        {**closed, "on_time": "yes"},
    )
    board.rate(
        k.format("on_time_rate"),
        _("Rectified on time"),
        k.format("rectified_on_time"),
        k.format("rectified"),
    )


def now(board: Board, area: Area) -> None:
    """The ledger as it stands today."""
    board.count("hazards.open", _("Open hazards"), "hazards", {**area, "state": "open"})
    board.count("hazards.overdue", _("Overdue"), "hazards", {**area, "state": "overdue"})
    board.rate("hazards.overdue_rate", _("Overdue rate"), "hazards.overdue", "hazards.open")
    board.count(
        "hazards.major_open",
        _("Open major hazards"),
        "hazards",
        {**area, "state": "open", "level": Level.MAJOR},
    )
    board.count(
        "hazards.awaiting",
        _("Awaiting acceptance or review"),
        "hazards",
        {**area, "state": "awaiting"},
    )


def cohort_measures(period: Period, area: Area) -> Measures:
    """Per-area table columns: found in the period, of them closed, of them overdue now."""
    found = {**area, **found_in(period)}
    return {
        "found": (_("Reported"), {**found, "state": "valid"}),
        "closed": (_("Closed"), {**found, "state": "closed"}),
        "overdue": (_("Overdue"), {**found, "state": "overdue"}),
    }


def by_area(
    board: Board, by: str, period: Period, area: Area, values: list[int] | None = None
) -> Grouped:
    """The cohort's counts per office or per grid (`by`)."""
    return board.grouped(
        f"hazards.{by}", "hazards", by, cohort_measures(period, area), values or []
    )


def by_category_and_office(board: Board, period: Period, area: Area) -> Grouped:
    """Found in the period, per office (rows) and hazard type (columns)."""
    found = {**area, **found_in(period), "state": "valid"}
    measures = {t.value: (t.label, {**found, "hazard_type": t.value}) for t in HazardType}
    return board.grouped("hazards.category", "hazards", "office", measures)


def by_value(board: Board, by: str, period: Period, area: Area) -> Grouped:
    """Found in the period (and of them closed) by one of the ledger's fields: level,
    source, hazard type, finder."""
    found = {**area, **found_in(period)}
    measures = {
        "found": (_("Found"), {**found, "state": "valid"}),
        "closed": (_("Closed"), {**found, "state": "closed"}),
    }
    return board.grouped(f"hazards.{by}", "hazards", by, measures)


def trend(board: Board, months: list[Period], area: Area) -> list[tuple[Period, Figure, Figure]]:
    """Found and rectified per month: (month, found, rectified)."""
    out = []
    for month in months:
        found = board.count(
            f"hazards.trend.{month.code}.found",
            _("Found"),
            "hazards",
            {**area, **found_in(month), "state": "valid"},
        )
        rectified = board.count(
            f"hazards.trend.{month.code}.rectified",
            _("Rectified"),
            "hazards",
            {**area, **closed_in(month)},
        )
        out.append((month, found, rectified))
    return out


def average_days_to_close(board: Board, period: Period, area: Area, suffix: str = "") -> Figure:
    """Mean days from found to closed of the hazards closed in the period: an average, so it
    names the count it is taken over. Counted at once (its own query)."""
    counted = f"hazards.rectified{suffix}"
    params = {**area, **closed_in(period)}
    plan = tallies.plan("hazards", params, board.user)
    mean = tallies.mean_days(plan) if plan is not None else _mean_days(params, board.user)
    figure = Figure(
        f"hazards.average_days_to_close{suffix}",
        _("Average days to close"),
        value=None if mean is None else mean.quantize(Decimal("0.1")),
        of=(counted,),
        unit="days",
    )
    board.figures[figure.key] = figure
    return figure


def _mean_days(params: dict[str, Any], user: User) -> Decimal | None:
    """The mean days from found to closed counted from the ledger itself."""
    days = ExpressionWrapper(TruncDate("closed_at") - F("found_on"), output_field=DurationField())
    rows = Hazard.objects.visible_to(user).filter(condition(SOURCES["hazards"], params, user))
    mean = rows.aggregate(mean=Avg(days))
    if mean["mean"] is None:
        return None
    return Decimal(mean["mean"].total_seconds()) / 86400
