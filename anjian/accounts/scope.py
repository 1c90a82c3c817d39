"""The one place that turns a user into what they may see.

`compute_scope(user)` builds the `Scope` (anjian.lib.scoping) kept on the user as
`user.scope`, once per request; every `visible_to(user)` reads it through the models'
declared scope columns. Out of scope is treated as not found by every caller.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from anjian.accounts.models import Role, User
from anjian.lib.scoping import EMPTY, Scope, scope_of

__all__ = [
    "EMPTY",
    "Scope",
    "area_staff",
    "compute_scope",
    "enterprise_staff",
    "forget_scope",
    "scope_of",
    "with_scope_columns",
]

AREA_ROLES = {Role.ZONE_ADMIN, Role.OFFICER, Role.LEADER}

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


def area_staff(role: str, *, zone_id: int, office_id: int, village_id: int) -> QuerySet[User]:
    """The active people of an area role whose area holds a place: `visible_to` read
    backwards (their area is the zone, the office or the village the place lies in)."""
    return User.objects.filter(
        role=role, is_active=True, region_id__in=[zone_id, office_id, village_id]
    )


def enterprise_staff(enterprise_id: int) -> QuerySet[User]:
    """The active accounts of an enterprise (its principal, its safety managers)."""
    return User.objects.filter(role=Role.ENTERPRISE, is_active=True, enterprise_id=enterprise_id)


def forget_scope(user: User) -> None:
    """Drop the cached scope after the user's role or assignments change."""
    user.__dict__.pop("scope", None)


def compute_scope(user: User) -> Scope:
    role = user.role
    if role in AREA_ROLES and user.region_id:
        # Loaded with the user when it came through with_scope_columns (every request does).
        region = user.region
        assert region is not None
        depth = region.path.count(".")
        return Scope(
            zone_id=_zone_id(region),
            region_id=region.pk,
            region_level=region.level,
            region_path=region.path,
            # A path is its parent's path and a code: an office is at depth 2, its
            # villages at depth 3 (their parent is the office).
            office_id={2: region.pk, 3: region.parent_id}.get(depth),
            paths=(region.path,),
        )
    if role == Role.GRID_WORKER:
        # One query: the grids of the current terms, with their paths and zone.
        grids = sorted(
            set(
                user.grid_assignments.active().values_list("grid__path", "grid_id", "grid__zone_id")
            )
        )
        return Scope(
            zone_id=grids[0][2] if grids else None,
            grid_ids=frozenset(g for _p, g, _z in grids),
            paths=tuple(p for p, _g, _z in grids),
        )
    if role == Role.ENTERPRISE and user.enterprise_id:
        zone_id, grid_id, path = _own(user).values_list(
            "enterprise__zone_id", "enterprise__grid_id", "enterprise__grid__path"
        )[0]
        return Scope(
            zone_id=zone_id,
            enterprise_id=user.enterprise_id,
            enterprise_ids=frozenset({user.enterprise_id}),
            grid_ids=frozenset({grid_id}),
            paths=(path,),
        )
    if role == Role.DEPARTMENT and user.department_id:
        zone_id, path = _own(user).values_list("department__zone_id", "department__zone__path")[0]
        return Scope(zone_id=zone_id, department_id=user.department_id, paths=(path,))
    if role == Role.EXPERT and user.agency_id:
        return _expert(user)
    return EMPTY


def _own(user: User) -> QuerySet[User]:
    return User._default_manager.filter(pk=user.pk)


def _expert(user: User) -> Scope:
    """An expert reaches their agency and the enterprises of the engagements they serve on
    today. Those are a subquery, read afresh by every filter that uses them: an engagement
    that starts or ends counts at once, and the scope costs one query (the agency's zone)."""
    zone_id, path = _own(user).values_list("agency__zone_id", "agency__zone__path")[0]
    return Scope(
        zone_id=zone_id,
        agency_id=user.agency_id,
        enterprise_ids=user.engagements.active().values("enterprises"),
        paths=(path,),
    )


def _zone_id(region: Model) -> int:
    """The zone at the root of the region's path. A path is the parent's path and a code, and
    only a zone has no parent: a zone and its children need no query."""
    path: str = region.path  # type: ignore[attr-defined]
    parent_id: int | None = region.parent_id  # type: ignore[attr-defined]
    depth = path.count(".")
    if depth <= 1 or parent_id is None:
        return int(region.pk)
    if depth == 2:
        return parent_id
    root_path = path.split(".")[0] + "."
    # The region's own model, through the instance: accounts does not import regions.
    return int(type(region)._default_manager.values_list("id", flat=True).get(path=root_path))
