"""The home page (each role's own, from dashboard.homes) and the site's 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from anjian.accounts.models import Role
from anjian.accounts.typing import AuthedRequest
from anjian.dashboard.homes import home_for
from anjian.lib.api_responses import DETAILS, error_response, is_api
from anjian.lib.periods import Kind, Period, PeriodError
from anjian.statistics.breakdown import focus_office

TEMPLATES = {
    Role.ZONE_ADMIN: "dashboard/home_area.html",
    Role.LEADER: "dashboard/home_area.html",
    Role.OFFICER: "dashboard/home_area.html",
    Role.GRID_WORKER: "dashboard/home_grid.html",
    Role.ENTERPRISE: "dashboard/home_enterprise.html",
}


def home(request: AuthedRequest) -> HttpResponse:
    """What a person sees after signing in: their work in figures, each a link to its list."""
    user = request.user
    if not user.role:
        return render(request, "dashboard/home_none.html")
    text, office = request.GET.get("period", ""), request.GET.get("office", "")
    error = ""
    try:
        period = Period.parse(text) if text else Period.current(Kind.YEAR)
    except PeriodError as exc:
        error, period = str(exc), Period.current(Kind.YEAR)
    focus = focus_office(user, int(office)) if office.isdecimal() and len(office) < 12 else None
    built = home_for(user, period, focus)
    context = {
        "home": built,
        # The enterprise's open hazards, as hazards/_portal.html lists them.
        "hazards": built.open_hazards,
        "enterprise_id": getattr(user, "enterprise_id", None),
        "period_error": error,
        "focus": focus,
        "periods": _period_choices(),
    }
    return render(request, TEMPLATES.get(Role(user.role), "dashboard/home_referred.html"), context)


def _period_choices() -> list[Period]:
    """The years a home offers: this one and the four before it."""
    out = [Period.current(Kind.YEAR)]
    while len(out) < 5:
        out.append(out[-1].previous)
    return out


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for URLs that match no route: the API's JSON error under /api/, the page
    elsewhere."""
    if is_api(request):
        return error_response(404, str(DETAILS[404]))
    return render(request, "404.html", status=404)
