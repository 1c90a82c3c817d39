"""Scope: what one person reaches, and the one queryset base that turns it into rows.

A `Scope` is a plain value (computed once per request by `accounts.scope` and kept on the
user as `user.scope`). A model that holds zone data gives its queryset a `ScopeColumns`
declaration — which of its columns hold the zone, office, village, grid, enterprise,
department, agency or person — and inherits `visible_to(user)` from `ScopedQuerySet`, so no
model translates a role's reach into filters by hand.

Nothing here imports an app: the user is anything with `is_authenticated`, `is_active`,
`pk`, `scope` and `can(capability)` (anjian.accounts.models.User), as Django's own apps ask a
user `has_perm()` without knowing the auth backends.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar, Generic, Self, TypeVar

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

M = TypeVar("M", bound=models.Model)

# Region levels as accounts.scope writes them into Scope.region_level, narrowest first.
LEVELS = ("village", "office", "zone")


@dataclass(frozen=True)
class Scope:
    """What one user reaches. Empty means nothing."""

    zone_id: int | None = None
    # Area roles (zone admin, officer, leader): the region at the top of their reach, and the
    # office it lies in (the region itself for an office, None for a zone).
    region_id: int | None = None
    region_level: str | None = None
    region_path: str | None = None
    office_id: int | None = None
    # Grid workers (current terms) and enterprise users (their enterprise's grid).
    grid_ids: frozenset[int] | None = None
    # An enterprise user's own enterprise.
    enterprise_id: int | None = None
    # Enterprises reached one by one: an enterprise user's own; an expert's engaged ones (a
    # subquery, so an engagement that starts or ends counts at once).
    enterprise_ids: frozenset[int] | QuerySet[Any, Any] | None = None
    department_id: int | None = None
    agency_id: int | None = None
    # Region paths whose subtree and ancestors are visible as names (org chart).
    paths: tuple[str, ...] = field(default=())

    def area_id(self, level: str) -> int | None:
        """The id of the user's region at `level` (zone, office or village), if known."""
        if level == "zone":
            return self.zone_id
        if level == "office":
            return self.office_id
        return self.region_id if self.region_level == level else None


EMPTY = Scope()


def scope_of(user: Any) -> Scope:
    """The user's scope: nothing for the anonymous and the deactivated."""
    if not _signed_in(user):
        return EMPTY
    scope: Scope = user.scope
    return scope


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def holds(user: Any, capability: str) -> bool:
    """Whether the user's role holds the capability (accounts.permissions' table)."""
    check = getattr(user, "can", None)
    return bool(check is not None and check(capability))


@dataclass(frozen=True)
class Through:
    """A scope column reached through a to-many relation (a grid's enterprises): matched in
    a subquery on the model's ids, so a row reached twice is still one row."""

    path: str


Column = str | Through | None


@dataclass(frozen=True)
class ScopeColumns:
    """Which columns of a model hold each part of a scope. Undeclared parts reach nothing.

    - zone / office / village: an area role reads the rows of its region: the column of its
      level, else the nearest coarser one declared (rows kept per zone only are read by
      everyone whose area lies in that zone);
    - grid, enterprise: grid workers and enterprise users (and experts, whose engaged
      enterprises are their enterprises) — the enterprise column first when both exist;
    - department, agency: committee departments and third-party agencies;
    - person: rows that belong to the user (an owner, a recipient, a member) — always theirs,
      whatever the capability says;
    - path: a region path; the user reads the subtree of their area and its ancestors;
    - zone_wide: everyone placed in a zone reads all of its rows (reference data);
    - capability: the role must hold it to read by area (accounts.permissions).
    """

    zone: Column = None
    office: Column = None
    village: Column = None
    grid: Column = None
    enterprise: Column = None
    department: Column = None
    agency: Column = None
    person: Column = None
    path: str | None = None
    zone_wide: bool = False
    capability: str | None = None

    def has_area(self) -> bool:
        """Whether any column but the person's is declared (the scope is needed)."""
        area = (self.zone, self.office, self.village, self.grid, self.enterprise)
        return any(v is not None for v in (*area, self.department, self.agency, self.path))

    def through(self, relation: str) -> ScopeColumns:
        """The same columns seen from a model that hangs off this one at `relation` (a
        grid's terms read their grid's columns as grid__zone, grid__office …)."""
        changes: dict[str, Column] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Through):
                changes[f.name] = Through(f"{relation}__{value.path}")
            elif isinstance(value, str) and f.name != "capability":
                changes[f.name] = relation if value == "id" else f"{relation}__{value}"
        return replace(self, **changes)  # type: ignore[arg-type]


def _match(column: Column, value: Any, many: bool = False) -> Q | None:
    if column is None:
        return None
    lookup = "__in" if many else ""
    if isinstance(column, Through):
        return Q(**{f"{column.path}{lookup}": value})
    return Q(**{f"{column}{lookup}": value})


def _by_paths(column: str, paths: tuple[str, ...]) -> Q | None:
    q = Q()
    for path in paths:
        # The subtree below the path, and every ancestor (a prefix of the path).
        q |= Q(**{f"{column}__startswith": path})
        prefixes = [path[: i + 1] for i, c in enumerate(path) if c == "."]
        q |= Q(**{f"{column}__in": prefixes})
    return q if paths else None


def _by_area(c: ScopeColumns, s: Scope) -> tuple[Column, Q | None]:
    """The column and filter of an area role's region: its level's, else a coarser one."""
    level = s.region_level or ""
    for candidate in LEVELS[LEVELS.index(level) :] if level in LEVELS else ():
        column = getattr(c, candidate)
        value = s.area_id(candidate)
        if column is not None and value is not None:
            return column, _match(column, value)
    return None, None


def _reach(c: ScopeColumns, s: Scope) -> tuple[Column, Q | None]:
    """(column, filter) of the part of the scope this model declares a column for."""
    if c.path is not None and s.paths:
        return c.path, _by_paths(c.path, s.paths)
    if c.zone_wide:
        return c.zone, (_match(c.zone, s.zone_id) if s.zone_id else None)
    if s.enterprise_ids is not None and c.enterprise is not None:
        return c.enterprise, _match(c.enterprise, s.enterprise_ids, many=True)
    if s.grid_ids is not None and c.grid is not None:
        return c.grid, _match(c.grid, s.grid_ids, many=True)
    if s.region_id is not None:
        return _by_area(c, s)
    if s.department_id is not None:
        return c.department, _match(c.department, s.department_id)
    if s.agency_id is not None:
        return c.agency, _match(c.agency, s.agency_id)
    return None, None


class ScopedQuerySet(models.QuerySet[M], Generic[M]):
    """A queryset of zone data: `visible_to(user)` from the model's declared columns.

    Out of scope is treated as not found by every caller: pages and the API answer 404.
    """

    scope_columns: ClassVar[ScopeColumns] = ScopeColumns()
    # What a detail page or endpoint reads with the row (get_for).
    detail_related: ClassVar[tuple[str, ...]] = ()

    def reach(self, user: Any, *, also: Q | None = None) -> Q | None:
        """The filter of the rows the user may see (None: none), with `also` — rows the
        model adds for anyone holding its capability (a platform's shared rows)."""
        c = self.scope_columns
        if not _signed_in(user):
            return None
        parts: list[Q] = []
        if c.person is not None:
            # The user's own rows: no scope needed (and none computed).
            parts.append(self._once(c.person, _match(c.person, user.pk)))
        if c.capability is None or holds(user, c.capability):
            if c.has_area():
                column, area = _reach(c, scope_of(user))
                if area is not None:
                    parts.append(self._once(column, area))
            if also is not None:
                parts.append(also)
        if not parts:
            return None
        q = parts[0]
        for part in parts[1:]:
            q |= part
        return q

    def _once(self, column: Column, q: Q | None) -> Q:
        """A filter through a to-many relation as a subquery on ids: one row stays one row."""
        assert q is not None
        if isinstance(column, Through):
            return Q(pk__in=self.model._default_manager.filter(q).values("pk"))
        return q

    def visible_to(self, user: Any) -> Self:
        q = self.reach(user)
        return self.none() if q is None else self.filter(q)

    def in_zone_of(self, user: Any) -> Self:
        """The rows of the user's zone, whatever their area within it (reference data)."""
        zone_id = scope_of(user).zone_id
        column = self.scope_columns.zone
        if zone_id is None or column is None:
            return self.none()
        return self.filter(_match(column, zone_id))

    def get_for(self, user: Any, pk: Any) -> M:
        """The row `pk` if the user may see it, with what its page reads; else Http404 —
        out of scope looks exactly like not found."""
        row = self.visible_to(user).select_related(*self.detail_related).filter(pk=pk).first()
        if row is None:
            raise Http404(self.model._meta.model_name)
        return row  # type: ignore[no-any-return]
