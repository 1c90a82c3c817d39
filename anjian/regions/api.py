"""/api/v1/regions and /api/v1/grids: the administrative tree and the grids, in scope."""

from __future__ import annotations

import datetime

from django.http import Http404
from ninja import Router, Schema

from anjian.accounts.typing import AuthedRequest
from anjian.lib.api import Id, ListOut, errors, list_payload
from anjian.lib.paging import keyset_page
from anjian.regions.models import Grid, GridAssignment, Region, RegionLevel

router = Router(tags=["regions"])


class RegionOut(Schema):
    id: int
    name: str
    code: str
    level: RegionLevel
    parent_id: int | None
    path: str


class GridOut(Schema):
    id: int
    name: str
    code: str
    village_id: int
    office_id: int
    zone_id: int
    path: str


class MemberOut(Schema):
    user_id: int
    name: str
    role: str
    starts_on: datetime.date
    ends_on: datetime.date | None


class GridDetailOut(GridOut):
    boundary: str
    members: list[MemberOut]


@router.get("/regions", response={200: ListOut[RegionOut], **errors(400, 401, 422)})
def list_regions(
    request: AuthedRequest,
    level: RegionLevel | None = None,
    parent: Id | None = None,
    cursor: str | None = None,
    limit: int = 50,
    with_count: bool = False,
) -> dict[str, object]:
    """Regions you can see, in tree order (their paths)."""
    qs = Region.objects.visible_to(request.user)
    if level:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent_id=parent)
    page = keyset_page(qs, key="path", cursor=cursor, limit=limit, with_count=with_count)
    return list_payload(page, page.items)


@router.get("/regions/{region_id}", response={200: RegionOut, **errors(401, 404)})
def get_region(request: AuthedRequest, region_id: int) -> Region:
    region = Region.objects.visible_to(request.user).filter(pk=region_id).first()
    if region is None:
        raise Http404
    return region


@router.get("/grids", response={200: ListOut[GridOut], **errors(400, 401, 422)})
def list_grids(
    request: AuthedRequest,
    office: Id | None = None,
    village: Id | None = None,
    cursor: str | None = None,
    limit: int = 50,
    with_count: bool = False,
) -> dict[str, object]:
    """Grids you can see: a grid worker sees only their own."""
    qs = Grid.objects.visible_to(request.user)
    if office is not None:
        qs = qs.filter(office_id=office)
    if village is not None:
        qs = qs.filter(village_id=village)
    page = keyset_page(qs, key="path", cursor=cursor, limit=limit, with_count=with_count)
    return list_payload(page, page.items)


@router.get("/grids/{grid_id}", response={200: GridDetailOut, **errors(401, 404)})
def get_grid(request: AuthedRequest, grid_id: int) -> dict[str, object]:
    """One grid with its current chief and workers."""
    grid = Grid.objects.visible_to(request.user).filter(pk=grid_id).first()
    if grid is None:
        raise Http404
    members = [
        {
            "user_id": a.user_id,
            "name": str(a.user),
            "role": a.role,
            "starts_on": a.starts_on,
            "ends_on": a.ends_on,
        }
        for a in GridAssignment.objects.active().filter(grid=grid).select_related("user")
    ]
    return {
        **{f: getattr(grid, f) for f in GridOut.model_fields},
        "boundary": grid.boundary,
        "members": members,
    }
