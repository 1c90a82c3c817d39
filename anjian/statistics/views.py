"""An enterprise's hazard statistics form as a download (`period`: 2026Q3 or 2026; `format`:
xlsx or docx), the panel that offers it on the enterprise page, and the ledger broken down."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from anjian.accounts.typing import AuthedRequest
from anjian.enterprises.models import Enterprise
from anjian.hazards.filters import HazardFilter
from anjian.hazards.models import Hazard
from anjian.lib.access import requires
from anjian.lib.http import DOCX, XLSX, attachment
from anjian.statistics import quarterly
from anjian.statistics.breakdown import BreakdownForm, breakdown
from anjian.statistics.ledger import ledger_counts


def form_response(data: quarterly.Statistics, ext: str) -> HttpResponse:
    """The statistics form as a file named by its enterprise and period."""
    if ext == "docx":
        content, media = quarterly.render_statistics_docx(data), DOCX
    else:
        content, media = quarterly.render_statistics_xlsx(data), XLSX
    response = HttpResponse(content, content_type=media)
    name = f"隐患排查治理统计分析表-{data.enterprise}-{data.period.code}.{ext}"
    response["Content-Disposition"] = attachment(name)
    return response


@requires("hazards.view")
def enterprise_form(request: AuthedRequest, enterprise_id: int) -> HttpResponse:
    enterprise = Enterprise.objects.get_for(request.user, enterprise_id)
    try:
        period = quarterly.Period.parse(request.GET.get("period", ""))
    except quarterly.PeriodError as exc:
        messages.error(request, str(exc))
        return redirect("enterprises:detail", pk=enterprise.pk)
    hazards = Hazard.objects.visible_to(request.user)
    data = quarterly.build_statistics(enterprise, hazards, period, timezone.localdate())
    return form_response(data, "docx" if request.GET.get("format") == "docx" else "xlsx")


def enterprise_form_panel(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {"e": enterprise}


@requires("hazards.view")
def hazards_breakdown(request: AuthedRequest) -> HttpResponse:
    """The hazards found in a period split by office, grid, level, source … or by month or
    week: found, rectified, open and overdue, every number a link to its rows."""
    form = BreakdownForm(request.GET, user=request.user)
    data = None
    if form.is_valid():
        period, by, office = form.asked()
        data = breakdown(request.user, period, by, office)
    return render(request, "statistics/breakdown.html", {"form": form, "data": data})


@requires("hazards.view")
def ledger_counts_panel(request: AuthedRequest) -> HttpResponse:
    """The ledger's total and quick filters for the filters given, counted now: what the
    ledger page's panel fetches when its counts were not kept (statistics.ledger). Nothing
    when the filters are bad: the page names them."""
    form = HazardFilter(request.GET or None, user=request.user, render=False)
    context = ledger_counts(request, form, wait=True)
    if context is None:
        return HttpResponse("")
    return render(request, "statistics/_ledger_counts.html", context)
