"""Regions (zone → office/sub-district → village/community) and the grids under them."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.lib.scoping import ScopeColumns, ScopedQuerySet, Through


class RegionLevel(models.TextChoices):
    ZONE = "zone", _("Zone")
    OFFICE = "office", _("Office / sub-district")
    VILLAGE = "village", _("Village / community")


CHILD_LEVEL = {RegionLevel.ZONE: RegionLevel.OFFICE, RegionLevel.OFFICE: RegionLevel.VILLAGE}


class RegionQuerySet(ScopedQuerySet["Region"]):
    # Regions a user may see: their scope's subtree and the ancestors leading to it.
    scope_columns = ScopeColumns(path="path")

    def areas(self) -> RegionQuerySet:
        """The regions an area role (zone admin, officer, leader) is placed at: the zone and
        its offices; villages and communities are where grids are."""
        return self.exclude(level=RegionLevel.VILLAGE)


class Region(models.Model):
    """A node of the administrative tree: 开发区/镇 → 办事处/街道 → 村/社区.

    `path` is the chain of codes from the zone down ("01.03.12."), so a subtree is one
    `path LIKE 'prefix%'` on SQLite and PostgreSQL alike.
    """

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=20)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(max_length=200, unique=True, editable=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "code"],
                name="region_code_unique_in_parent",
                violation_error_message=_("Another region under the same parent has this code."),
            ),
            models.CheckConstraint(
                condition=Q(level="zone", parent__isnull=True) | Q(parent__isnull=False),
                name="region_only_zone_is_root",
                violation_error_message=_("Only a zone may have no parent."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count(".")

    def build_path(self) -> str:
        prefix = self.parent.path if self.parent else ""
        return f"{prefix}{self.code}."

    def ancestors(self) -> list[Region]:
        """Zone first, self last."""
        chain: list[Region] = []
        node: Region | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


def validate_geojson(value: str) -> None:
    """A grid boundary: a GeoJSON Polygon/MultiPolygon, bare or wrapped in a Feature."""
    if not value:
        return
    try:
        data: Any = json.loads(value)
    except ValueError as exc:
        raise ValidationError(
            _("The boundary is not valid JSON: %(e)s"), params={"e": exc}
        ) from exc
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in {"Polygon", "MultiPolygon"}:
        raise ValidationError(_("The boundary must be a GeoJSON Polygon or MultiPolygon."))
    if not isinstance(data.get("coordinates"), list) or not data["coordinates"]:
        raise ValidationError(_("The boundary has no coordinates."))


class GridQuerySet(ScopedQuerySet["Grid"]):
    scope_columns = ScopeColumns(
        zone="zone",
        office="office",
        village="village",
        grid="id",
        # A committee department sees the grids of the enterprises referred to it.
        department=Through("enterprises__competent_department"),
    )
    detail_related = ("village", "office", "zone")


class Grid(models.Model):
    """A grid (网格): the unit a grid worker patrols, under one village or community.

    The office and zone are copied onto the row (kept right by `regions.services`) so that
    scope filters on grids and on everything that hangs off a grid are one equality.
    """

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=20)
    village = models.ForeignKey(
        Region,
        models.PROTECT,
        related_name="grids",
        verbose_name=_("village / community"),
        limit_choices_to={"level": RegionLevel.VILLAGE},
    )
    office = models.ForeignKey(Region, models.PROTECT, related_name="+", editable=False)
    zone = models.ForeignKey(Region, models.PROTECT, related_name="+", editable=False)
    path = models.CharField(max_length=220, unique=True, editable=False)
    boundary = models.TextField(
        _("boundary (GeoJSON)"),
        blank=True,
        validators=[validate_geojson],
        help_text=_("Optional GeoJSON Polygon or MultiPolygon, used by the grid map."),
    )

    objects = GridQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "code"],
                name="grid_code_unique_in_village",
                violation_error_message=_("Another grid in this village has this code."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GridRole(models.TextChoices):
    CHIEF = "chief", _("Grid chief")
    WORKER = "worker", _("Grid worker")


class GridAssignmentQuerySet(ScopedQuerySet["GridAssignment"]):
    def active(self, on: datetime.date | None = None) -> GridAssignmentQuerySet:
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    # A term is seen by whoever sees its grid.
    scope_columns = GridQuerySet.scope_columns.through("grid")


class GridAssignment(models.Model):
    """A person's term as grid chief (网格长) or grid worker (网格员) of one grid.

    Terms are ended, never overwritten, so "who covered grid A in March" stays answerable.
    """

    grid = models.ForeignKey(Grid, models.PROTECT, related_name="assignments")
    user = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="grid_assignments", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=10, choices=GridRole.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    objects = GridAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid assignment")
        verbose_name_plural = _("grid assignments")
        ordering = ["grid", "-starts_on"]
        indexes = [
            # Serves scope_of(user): a grid worker's current grids.
            models.Index(fields=["user", "starts_on"], name="gridassign_user_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="gridassign_ends_after_start",
                violation_error_message=_("A term cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grid} · {self.user} · {self.get_role_display()}"
