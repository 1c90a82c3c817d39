"""Double-random draw pages: the list, a new draw, a draw's result, publishing it."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.permissions import can
from anjian.accounts.typing import AuthedRequest
from anjian.draws import services as draws
from anjian.draws.forms import DrawForm
from anjian.draws.models import Draw
from anjian.enterprises.filters import EnterpriseFilter
from anjian.lib.access import requires
from anjian.lib.paging import page_from_request

FILTER_FIELDS = ["office", "village", "grid", "sector", "tag", "risk_class", "status", "scale", "q"]


@requires("draws.view")
def draw_list(request: AuthedRequest) -> HttpResponse:
    qs = Draw.objects.visible_to(request.user).select_related("office", "created_by")
    page, query = page_from_request(request, qs, key="created_at", descending=True)
    return render(
        request,
        "draws/list.html",
        {"page": page, "query": query, "can_manage": can(request.user, "draws.manage")},
    )


@requires("draws.manage")
def draw_create(request: AuthedRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = DrawForm(data, user=request.user)
    registry = EnterpriseFilter(data, user=request.user)
    if data is not None and form.is_valid() and registry.is_valid():
        d = form.cleaned_data
        try:
            draw = draws.create_draw(
                title=d["title"],
                criteria={f: data.get(f) for f in FILTER_FIELDS},
                size=d["size"],
                seed=d["seed"],
                officer_ids=[o.pk for o in d["officers"]],
                by=request.user,
            )
        except draws.DrawError as exc:
            target = form if exc.field in form.fields else registry
            target.add_error(exc.field if exc.field in target.fields else None, str(exc))
        else:
            messages.success(request, _("The draw has been made. Check it, then publish it."))
            return redirect("draws:detail", pk=draw.pk)
    registry.prepare_display()
    return render(request, "draws/form.html", {"form": form, "filter": registry})


@requires("draws.view")
def draw_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    draw = Draw.objects.get_for(request.user, pk)
    items = list(
        draw.items.select_related("enterprise__grid")
        .prefetch_related("officers")
        .annotate(visit_count=Count("visits"))
        .order_by("position")
    )
    return render(
        request,
        "draws/detail.html",
        {
            "draw": draw,
            "items": items,
            "reproduced": draws.is_reproduced(draw, items),
            "can_manage": can(request.user, "draws.manage"),
        },
    )


@require_POST
@requires("draws.manage")
def draw_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    draw = Draw.objects.get_for(request.user, pk)
    try:
        draws.publish_draw(draw, by=request.user)
    except draws.DrawError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The draw result has been published."))
    return redirect("draws:detail", pk=pk)
