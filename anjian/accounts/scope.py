"""The one place that turns a user into what they may see.

Every `visible_to(user)` in the platform reads the `Scope` built here, so a role's reach is
decided once. Out of scope is treated as not found by every caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet

from anjian.accounts.models import Agency, Department, Role, User
from anjian.regions.models import GridAssignment, Region

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

M = TypeVar("M", bound=Model)


def with_scope_columns(qs: QuerySet[M], via: str = "") -> QuerySet[M]:
    """`qs` of users (or of rows whose user is at `via`, e.g. "user" for tokens) loading, in
    the same query, the region an area role's scope is made of.

    Sign-in by session (accounts.backends) and by token (accounts.services.user_for_token)
    load the user this way, so a request's scope costs no query of its own for zone admins,
    officers and leaders of a zone or an office (see _zone_id). It is still read from the
    database on every request: a new region or a deactivation counts from the next request.
    """
    return qs.select_related(f"{via}__region" if via else "region")


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
        # Loaded with the user when it came through with_scope_columns (every request does).
        region = user.region
        assert region is not None
        return Scope(
            zone_id=_zone_id(region),
            region_id=region.pk,
            region_level=region.level,
            region_path=region.path,
            paths=(region.path,),
        )
    if role == Role.GRID_WORKER:
        # One query: the grids of the current terms, with their paths and zone.
        grids = sorted(
            set(
                GridAssignment.objects.active()
                .filter(user=user)
                .values_list("grid__path", "grid_id", "grid__zone_id")
            )
        )
        return Scope(
            zone_id=grids[0][2] if grids else None,
            grid_ids=frozenset(g for _p, g, _z in grids),
            paths=tuple(p for p, _g, _z in grids),
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
        zone_id, path = Department.objects.values_list("zone_id", "zone__path").get(
            pk=user.department_id
        )
        return Scope(zone_id=zone_id, department_id=user.department_id, paths=(path,))
    if role == Role.EXPERT and user.agency_id:
        zone_id, path = Agency.objects.values_list("zone_id", "zone__path").get(pk=user.agency_id)
        return Scope(zone_id=zone_id, agency_id=user.agency_id, paths=(path,))
    return EMPTY


def _zone_id(region: Region) -> int:
    """The zone at the root of the region's path. A path is the parent's path and a code, and
    only a zone has no parent: a zone and its children need no query."""
    depth = region.path.count(".")
    if depth <= 1 or region.parent_id is None:
        return region.pk
    if depth == 2:
        return region.parent_id
    root_path = region.path.split(".")[0] + "."
    return Region.objects.values_list("id", flat=True).get(path=root_path)
