"""GET /api/v1/dashboard: the caller's home figures, each with the list it counts."""

from __future__ import annotations

from typing import Any

from ninja import Router

from anjian.accounts.typing import AuthedRequest
from anjian.dashboard.homes import home_for
from anjian.lib.api import Id, InputError, errors
from anjian.lib.periods import Kind, Period, PeriodError
from anjian.statistics.breakdown import focus_office
from anjian.statistics.schemas import FigureOut

router = Router(tags=["dashboard"])


FigureList = list[FigureOut]


@router.get("/dashboard", response={200: FigureList, **errors(401, 404, 422)})
def dashboard(
    request: AuthedRequest, period: str | None = None, office: Id | None = None
) -> list[dict[str, Any]]:
    """Your home's figures for `period` (2026, 2026Q3 or 2026-07; default: this year), each
    `{"key", "label", "value", "list"}`: `list` is the API path, with its query, of the
    records the figure counts — its `?with_count=true` count equals `value`. A rate or an
    average has no list (`null`) and names the figures it divides (`of`). A zone admin or
    leader may narrow the figures to one `office`."""
    try:
        chosen = Period.parse(period) if period else Period.current(Kind.YEAR)
    except PeriodError as exc:
        raise InputError([{"field": "period", "message": str(exc)}]) from exc
    home = home_for(request.user, chosen, focus_office(request.user, office))
    return [f.as_json() for f in home.figures()]
