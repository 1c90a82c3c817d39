from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.permissions import can
from anjian.accounts.typing import AuthedRequest
from anjian.lib.access import requires
from anjian.regions import services
from anjian.regions.forms import AssignForm, EndTermForm, GridForm, RegionForm
from anjian.regions.models import Grid, GridAssignment, Region, RegionLevel


@requires("regions.view")
def tree(request: AuthedRequest) -> HttpResponse:
    """Offices, villages and grids in scope, with each grid's enterprise count."""
    regions = list(Region.objects.visible_to(request.user))
    grids = (
        Grid.objects.visible_to(request.user)
        .annotate(enterprise_count=Count("enterprises"))
        .order_by("path")
    )
    by_village: dict[int, list[Grid]] = {}
    for grid in grids:
        by_village.setdefault(grid.village_id, []).append(grid)
    rows = [(r, by_village.get(r.pk, [])) for r in regions]
    return render(
        request,
        "regions/tree.html",
        {"rows": rows, "can_manage": can(request.user, "regions.manage")},
    )


@requires("regions.view")
def grid_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    grid = Grid.objects.get_for(request.user, pk)
    terms = (
        GridAssignment.objects.filter(grid=grid)
        .select_related("user")
        .order_by("ends_on", "-starts_on")
    )
    # The registry's rows through the grid's relation: regions imports no registry module.
    enterprises = grid.enterprises.visible_to(request.user)
    manage = can(request.user, "regions.manage")
    return render(
        request,
        "regions/grid.html",
        {
            "grid": grid,
            "terms": terms,
            "enterprise_count": enterprises.count(),
            "can_manage": manage,
            "assign_form": AssignForm(by=request.user) if manage else None,
            "end_form": EndTermForm(),
        },
    )


@requires("regions.manage")
def region_create(request: AuthedRequest, parent_pk: int) -> HttpResponse:
    """Add an office under the zone, a village/community under an office, or a grid."""
    parent = Region.objects.get_for(request.user, parent_pk)
    form_class = GridForm if parent.level == RegionLevel.VILLAGE else RegionForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if parent.level == RegionLevel.VILLAGE:
                grid = services.create_grid(
                    parent,
                    name=data["name"],
                    code=data["code"],
                    boundary=data.get("boundary", ""),
                    by=request.user,
                )
                return redirect("regions:grid", pk=grid.pk)
            services.create_region(parent, name=data["name"], code=data["code"], by=request.user)
            return redirect("regions:tree")
        except services.RegionError as exc:
            form.add_error("code", str(exc))
    return render(request, "regions/region_form.html", {"form": form, "parent": parent})


@require_POST
@requires("regions.manage")
def assign(request: AuthedRequest, pk: int) -> HttpResponse:
    grid = Grid.objects.get_for(request.user, pk)
    form = AssignForm(request.POST, by=request.user)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.assign_member(
                grid, d["person"], role=d["role"], starts_on=d["starts_on"], by=request.user
            )
            messages.success(request, _("The term has been recorded."))
        except services.RegionError as exc:
            messages.error(request, str(exc))
    else:
        for field, errs in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(str(e) for e in errs)}")
    return redirect("regions:grid", pk=grid.pk)


@require_POST
@requires("regions.manage")
def end_term(request: AuthedRequest, pk: int, term_pk: int) -> HttpResponse:
    grid = Grid.objects.get_for(request.user, pk)
    term = GridAssignment.objects.filter(grid=grid, pk=term_pk).select_related("grid").first()
    if term is None:
        raise Http404
    form = EndTermForm(request.POST)
    if form.is_valid():
        try:
            services.end_term(term, ends_on=form.cleaned_data["ends_on"], by=request.user)
            messages.success(request, _("The term has been ended."))
        except services.RegionError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Give the date the term ends."))
    return redirect("regions:grid", pk=grid.pk)
