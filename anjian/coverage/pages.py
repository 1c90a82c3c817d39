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
from anjian.coverage.services import CoverageQuery, Fetch, GridRow


@dataclass
class Counting:
    grid_rows: Callable[[CoverageQuery], list[GridRow]] = services.grid_rows
    # Runs the page's other aggregates (people, other outcomes); None: run plainly.
    fetch: Fetch | None = None


COVERAGE_COUNTING = Counting()
