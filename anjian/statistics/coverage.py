"""Coverage's figures (检查覆盖): of the enterprises the policy asks checks of in the period,
those checked as often as it asks."""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from anjian.coverage.forms import CoverageFilter
from anjian.coverage.services import (
    GRID_ROW_OFFICE,
    CoverageQuery,
    GridRow,
    grid_rows_of,
    grid_rows_statement,
)
from anjian.fieldwork.models import Visit
from anjian.lib.periods import Period
from anjian.statistics import versions
from anjian.statistics.figures import BadFigure, Board, Figure

Area = Mapping[str, Any]


def headline(board: Board, period: Period, area: Area, suffix: str = "") -> None:
    """The area's coverage in the period: the sums of its grids' rows (one query, shared with
    `by_area`), each figure linking to its list."""
    base = {**area, "period": period.code}
    rows = _grid_rows(board, period, area)
    for name, label, value in (
        ("required", _("Enterprises to check"), sum(g.enterprises for g in rows)),
        ("met", _("Checked as required"), sum(g.met for g in rows)),
        ("unvisited", _("Not yet visited"), sum(g.unvisited for g in rows)),
    ):
        figure = board.count(f"coverage.{name}{suffix}", label, "coverage", {**base, "state": name})
        figure.value = value
    board.rate(
        f"coverage.rate{suffix}",
        _("Coverage"),
        f"coverage.met{suffix}",
        f"coverage.required{suffix}",
    )


def _grid_rows(board: Board, period: Period, area: Area) -> list[GridRow]:
    """Coverage's rows per grid for the period and area, counted once per board."""
    params = {**area, "period": period.code}
    key = ("coverage.grid_rows", period.code, tuple(sorted(area.items())))
    if key not in board.memo:
        form = CoverageFilter(params, user=board.user)
        if not form.is_valid():
            raise BadFigure(f"coverage {params}: {form.errors.as_json()}")
        board.memo[key] = grid_rows_kept(form.query())
    rows: list[GridRow] = board.memo[key]
    return rows


def grid_rows_kept(query: CoverageQuery) -> list[GridRow]:
    """The query's rows per grid, kept per office under the versions of the office's visits
    in the period's years: a visit recorded counts its office again, not the zone, and last
    year's coverage outlives today's visits."""
    offices_sql, offices_params = (
        query.enterprises().values_list("office_id").distinct().order_by().query.sql_with_params()
    )
    offices = [o for (o,) in versions.fetch(offices_sql, offices_params)]

    def statement(some: Sequence[int] | None) -> tuple[str, list[Any]]:
        return grid_rows_statement(query if some is None else query.narrowed(some))

    rows = versions.fetch_split(
        statement,
        Visit._meta.db_table,
        versions.office_years(offices, query.period.start, query.period.end),
        office_of=operator.itemgetter(GRID_ROW_OFFICE),
    )
    return grid_rows_of(rows)


def by_area(board: Board, by: str, period: Period, area: Area) -> dict[int, Figure]:
    """Coverage of each office or grid (`by`) in the area: its rate, over the counts of its
    lists — all from the one query of coverage's rows per grid."""
    params = {**area, "period": period.code}
    totals: dict[int, list[int]] = {}
    for g in _grid_rows(board, period, area):
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
