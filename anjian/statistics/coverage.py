"""Coverage's figures (检查覆盖): of the enterprises the policy asks checks of in the period,
those checked as often as it asks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from anjian.coverage.forms import CoverageFilter
from anjian.coverage.services import grid_rows
from anjian.lib.periods import Period
from anjian.statistics.figures import BadFigure, Board, Figure

Area = Mapping[str, Any]


def headline(board: Board, period: Period, area: Area, suffix: str = "") -> None:
    base = {**area, "period": period.code}
    board.count(
        f"coverage.required{suffix}",
        _("Enterprises to check"),
        "coverage",
        {**base, "state": "required"},
    )
    board.count(
        f"coverage.met{suffix}", _("Checked as required"), "coverage", {**base, "state": "met"}
    )
    board.count(
        f"coverage.unvisited{suffix}",
        _("Not yet visited"),
        "coverage",
        {**base, "state": "unvisited"},
    )
    board.rate(
        f"coverage.rate{suffix}",
        _("Coverage"),
        f"coverage.met{suffix}",
        f"coverage.required{suffix}",
    )


def by_area(board: Board, by: str, period: Period, area: Area) -> dict[int, Figure]:
    """Coverage of each office or grid (`by`) in the area: its rate, over the counts of its
    lists — all from one query of coverage's rows per grid."""
    params = {**area, "period": period.code}
    form = CoverageFilter(params, user=board.user)
    if not form.is_valid():
        raise BadFigure(f"coverage {params}: {form.errors.as_json()}")
    totals: dict[int, list[int]] = {}
    for g in grid_rows(form.query()):
        key = g.office_id if by == "office" else g.grid_id
        counted = totals.setdefault(key, [0, 0])
        counted[0] += g.enterprises
        counted[1] += g.met
    rates = {}
    for value, (required, met) in totals.items():
        prefix = f"coverage.{by}.{value}"
        for name, label, state, n in (
            ("required", _("Enterprises to check"), "required", required),
            ("met", _("Checked as required"), "met", met),
        ):
            figure = board.count(
                f"{prefix}.{name}", label, "coverage", {**params, by: value, "state": state}
            )
            figure.value = n
        rates[value] = board.rate(
            f"{prefix}.rate", _("Coverage"), f"{prefix}.met", f"{prefix}.required"
        )
    return rates
