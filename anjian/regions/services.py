"""Write functions for the region tree, grids and grid terms."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from anjian.accounts.models import Role, User
from anjian.accounts.permissions import can
from anjian.accounts.scope import forget_scope, scope_of
from anjian.audit.log import record
from anjian.lib.errors import NotAllowed
from anjian.regions.models import (
    CHILD_LEVEL,
    Grid,
    GridAssignment,
    Region,
    RegionLevel,
)


class RegionError(ValueError):
    """A change to the tree that does not fit; the message says why."""


def _managed(by: User, region: Region) -> Region:
    """The region, locked, if `by` may manage it; otherwise not found / not allowed."""
    locked = Region.objects.visible_to(by).select_for_update().filter(pk=region.pk).first()
    scope_path = by.region.path if by.region else None
    if locked is None or scope_path is None or not locked.path.startswith(scope_path):
        raise Http404("region")
    if not can(by, "regions.manage"):
        raise NotAllowed("regions.manage")
    return locked


@transaction.atomic
def create_region(parent: Region, *, name: str, code: str, by: User) -> Region:
    """Add an office under a zone, or a village/community under an office."""
    parent = _managed(by, parent)
    level = CHILD_LEVEL.get(RegionLevel(parent.level))
    if level is None:
        raise RegionError(_("Grids, not regions, go under a village or community."))
    if Region.objects.filter(parent=parent, code=code).exists():
        raise RegionError(_("Another region under the same parent has this code."))
    region = Region.objects.create(
        name=name, code=code, level=level, parent=parent, path=f"{parent.path}{code}."
    )
    record(
        by,
        "region.create",
        region,
        changes={"name": [None, name], "code": [None, code]},
        zone_id=_zone_id(region),
    )
    return region


@transaction.atomic
def create_grid(village: Region, *, name: str, code: str, boundary: str, by: User) -> Grid:
    village = _managed(by, village)
    if village.level != RegionLevel.VILLAGE:
        raise RegionError(_("A grid belongs under a village or community."))
    if Grid.objects.filter(village=village, code=code).exists():
        raise RegionError(_("Another grid in this village has this code."))
    assert village.parent is not None
    grid = Grid.objects.create(
        name=name,
        code=code,
        village=village,
        office=village.parent,
        zone_id=_zone_id(village),
        path=f"{village.path}{code}.",
        boundary=boundary,
    )
    record(by, "grid.create", grid, changes={"name": [None, name], "code": [None, code]})
    return grid


@transaction.atomic
def set_grid_boundary(grid: Grid, boundary: str, *, by: User) -> Grid:
    _managed(by, grid.village)
    before = grid.boundary
    Grid.objects.filter(pk=grid.pk).update(boundary=boundary)
    grid.boundary = boundary
    record(by, "grid.boundary", grid, changes={"boundary": [bool(before), bool(boundary)]})
    return grid


@transaction.atomic
def assign_member(
    grid: Grid, person: User, *, role: str, starts_on: datetime.date, by: User
) -> GridAssignment:
    """Start a person's term as grid chief or worker. Earlier terms are kept as they were."""
    _managed(by, grid.village)
    if person.zone_id != scope_of(by).zone_id:
        raise Http404("person")
    if person.role != Role.GRID_WORKER:
        raise RegionError(_("Only people with the grid worker role can serve on a grid."))
    overlapping = GridAssignment.objects.filter(grid=grid, user=person, role=role).active(starts_on)
    if overlapping.exists():
        raise RegionError(_("This person already holds this role on this grid on that date."))
    term = GridAssignment.objects.create(grid=grid, user=person, role=role, starts_on=starts_on)
    record(
        by,
        "grid.assign",
        grid,
        changes={"person": person.username, "role": role, "starts_on": starts_on.isoformat()},
    )
    forget_scope(person)
    return term


@transaction.atomic
def end_term(term: GridAssignment, *, ends_on: datetime.date, by: User) -> GridAssignment:
    """End a term on a date; the row stays as history."""
    _managed(by, term.grid.village)
    locked = GridAssignment.objects.select_for_update().get(pk=term.pk)
    if locked.ends_on is not None:
        raise RegionError(_("This term has already ended."))
    if ends_on < locked.starts_on:
        raise RegionError(_("A term cannot end before it starts."))
    locked.ends_on = ends_on
    locked.save(update_fields=["ends_on"])
    record(
        by,
        "grid.end_term",
        term.grid,
        changes={
            "person": locked.user.username,
            "role": locked.role,
            "ends_on": ends_on.isoformat(),
        },
    )
    forget_scope(locked.user)
    return locked


def _zone_id(region: Region) -> int:
    root = region.path.split(".")[0] + "."
    return Region.objects.values_list("id", flat=True).get(path=root)
