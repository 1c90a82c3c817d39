from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render

from anjian.accounts.decorators import requires
from anjian.accounts.typing import AuthedRequest
from anjian.enterprises.models import Enterprise
from anjian.regions.models import Grid, GridAssignment, Region


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
    return render(request, "regions/tree.html", {"rows": rows})


@requires("regions.view")
def grid_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    grid = (
        Grid.objects.visible_to(request.user)
        .select_related("village", "office", "zone")
        .filter(pk=pk)
        .first()
    )
    if grid is None:
        raise Http404
    terms = (
        GridAssignment.objects.filter(grid=grid)
        .select_related("user")
        .order_by("ends_on", "-starts_on")
    )
    enterprises = Enterprise.objects.visible_to(request.user).filter(grid=grid)
    return render(
        request,
        "regions/grid.html",
        {
            "grid": grid,
            "terms": terms,
            "enterprise_count": enterprises.count(),
        },
    )
