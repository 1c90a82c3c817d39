"""How the coverage page and the coverage API count: plainly, by coverage.services, or —
once the statistics layer is loaded — from its answers kept under the versions of the tables
they read (statistics.apps installs them, as it adds its panels to other apps' pages).

Then the page's figures are the dashboards' own computation: a page opened again with
nothing written since reads no visits, and a visit recorded counts again only its office's
grids. The coverage app does not import the statistics layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from anjian.coverage import services
from anjian.coverage.services import CoverageQuery, Fetch, GridRow, RowPage
from anjian.lib.paging import DEFAULT_LIMIT


@dataclass
class Counting:
    grid_rows: Callable[[CoverageQuery], list[GridRow]] = services.grid_rows
    # Runs the page's other aggregates (people, other outcomes); None: run plainly.
    fetch: Fetch | None = None


COVERAGE_COUNTING = Counting()


def listed(
    query: CoverageQuery,
    state: str,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
    with_count: bool = False,
    grids: list[GridRow] | None = None,
) -> RowPage:
    """A page of the coverage list (raises BadCursor as page_rows does). Its total, when
    asked for, is the grid rows' sum for a state they count (`grids`, or counted here): the
    list itself is counted only for every listed enterprise."""
    total = None
    if with_count and state in services.STATE_TOTALS:
        rows = grids if grids is not None else COVERAGE_COUNTING.grid_rows(query)
        total = services.listed_in(rows, state)
    page = services.page_rows(query, state, cursor, limit, with_count and total is None)
    if total is not None:
        page.count = total
    return page
