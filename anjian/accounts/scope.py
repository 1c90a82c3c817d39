"""The one place that turns a user into what they may see.

Every `visible_to(user)` in the platform reads the `Scope` built here, so a role's reach is
decided once. Out of scope is treated as not found by every caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from anjian.accounts.models import Role, User
from anjian.regions.models import Grid, GridAssignment, Region, RegionLevel

AREA_ROLES = {Role.ZONE_ADMIN, Role.OFFICER, Role.LEADER}


@dataclass(frozen=True)
class Scope:
    """What one user reaches. Empty means nothing."""

    zone_id: int | None = None
    # Area roles: the region at the top of their reach.
    region_id: int | None = None
    region_level: str | None = None
    region_path: str | None = None
    # Grid workers (current terms) and enterprise users (their enterprise's grid).
    grid_ids: frozenset[int] | None = None
    enterprise_id: int | None = None
    department_id: int | None = None
    agency_id: int | None = None
    # Region paths whose subtree and ancestors are visible as names (org chart).
    paths: tuple[str, ...] = field(default=())


EMPTY = Scope()


def scope_of(user: User | AnonymousUser) -> Scope:
    """The user's scope, computed once per request and cached on the user object."""
    if not user.is_authenticated or not user.is_active:
        return EMPTY
    assert isinstance(user, User)
    cached: Scope | None = getattr(user, "_anjian_scope", None)
    if cached is None:
        cached = _compute(user)
        user._anjian_scope = cached  # type: ignore[attr-defined]
    return cached


def forget_scope(user: User) -> None:
    """Drop the cached scope after the user's role or assignments change."""
    user.__dict__.pop("_anjian_scope", None)


def _compute(user: User) -> Scope:
    role = user.role
    if role in AREA_ROLES and user.region_id:
        region = Region.objects.get(pk=user.region_id)
        return Scope(
            zone_id=_zone_id(region),
            region_id=region.pk,
            region_level=region.level,
            region_path=region.path,
            paths=(region.path,),
        )
    if role == Role.GRID_WORKER:
        grid_ids = frozenset(
            GridAssignment.objects.active().filter(user=user).values_list("grid_id", flat=True)
        )
        grids = list(Grid.objects.filter(id__in=grid_ids).values_list("path", "zone_id"))
        return Scope(
            zone_id=grids[0][1] if grids else None,
            grid_ids=grid_ids,
            paths=tuple(p for p, _z in grids),
        )
    if role == Role.ENTERPRISE and user.enterprise_id:
        from anjian.enterprises.models import Enterprise

        ent = Enterprise.objects.select_related("grid").get(pk=user.enterprise_id)
        return Scope(
            zone_id=ent.zone_id,
            enterprise_id=ent.pk,
            grid_ids=frozenset({ent.grid_id}),
            paths=(ent.grid.path,),
        )
    if role == Role.DEPARTMENT and user.department_id:
        dept = user.department
        assert dept is not None
        return Scope(zone_id=dept.zone_id, department_id=dept.pk, paths=(_path(dept.zone_id),))
    if role == Role.EXPERT and user.agency_id:
        agency = user.agency
        assert agency is not None
        return Scope(zone_id=agency.zone_id, agency_id=agency.pk, paths=(_path(agency.zone_id),))
    return EMPTY


def _zone_id(region: Region) -> int:
    if region.level == RegionLevel.ZONE:
        return region.pk
    root_path = region.path.split(".")[0] + "."
    return Region.objects.values_list("id", flat=True).get(path=root_path)


def _path(region_id: int) -> str:
    return Region.objects.values_list("path", flat=True).get(pk=region_id)
