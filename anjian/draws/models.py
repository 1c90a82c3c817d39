"""Double-random draws (双随机抽查): the drawn enterprises and the officers drawn for each."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.lib.scoping import ScopeColumns, ScopedQuerySet, scope_of
from anjian.regions.models import RegionLevel


class DrawQuerySet(ScopedQuerySet["Draw"]):
    """Draws of the user's area: a zone's staff see the zone's; an office's staff see
    their office's, and the zone-wide draws once published (公开)."""

    scope_columns = ScopeColumns(zone="zone", office="office", capability="draws.view")
    detail_related = ("created_by", "published_by", "office")

    def visible_to(self, user: Any) -> DrawQuerySet:
        scope = scope_of(user)
        zone_wide = None
        if scope.region_level == RegionLevel.OFFICE:
            zone_wide = Q(zone_id=scope.zone_id, office__isnull=True, published_at__isnull=False)
        q = self.reach(user, also=zone_wide)
        return self.none() if q is None else self.filter(q)

    def published(self) -> DrawQuerySet:
        return self.filter(published_at__isnull=False)


class Draw(models.Model):
    """A double-random draw (双随机抽查): N enterprises drawn from an object list, and two
    licensed officers drawn for each from an inspector list ("两库一单").

    The seed and both lists are stored, so anyone can run the draw again and get the same
    result (draws.services.replay). Once published (公开) a draw never changes.
    """

    zone = models.ForeignKey("regions.Region", models.PROTECT, related_name="+")
    # The office whose draw it is; empty for a zone-wide draw.
    office = models.ForeignKey(
        "regions.Region", models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    seed = models.PositiveBigIntegerField(_("seed"))
    criteria = models.JSONField(_("object list filter"), default=dict, blank=True)
    enterprise_ids = models.JSONField(_("object list"), default=list)
    officer_ids = models.JSONField(_("inspector list"), default=list)
    size = models.PositiveIntegerField(_("enterprises drawn"))
    per_enterprise = models.PositiveSmallIntegerField(_("officers per enterprise"), default=2)
    created_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        "accounts.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = DrawQuerySet.as_manager()

    class Meta:
        verbose_name = _("double-random draw")
        verbose_name_plural = _("double-random draws")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The draw list of a zone and of an office, newest first.
            models.Index(fields=["zone", "created_at", "id"], name="draw_zone_created"),
            models.Index(fields=["office", "created_at", "id"], name="draw_office_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gte=1),
                name="draw_size_positive",
                violation_error_message=_("Draw at least one enterprise."),
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True, published_by__isnull=True)
                | Q(published_at__isnull=False, published_by__isnull=False),
                name="draw_published_by_whom",
                violation_error_message=_("A published draw records who published it."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class DrawItem(models.Model):
    """One drawn enterprise and the officers drawn to inspect it. The inspection itself is
    a visit of kind double_random pointing here."""

    draw = models.ForeignKey(Draw, models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", models.PROTECT, related_name="draw_items"
    )
    officers = models.ManyToManyField("accounts.User", related_name="draw_items")
    # The double-random inspections that carry it out (their purpose, fieldwork.purposes).
    # Visits are records and are never deleted.
    visits = GenericRelation(
        "fieldwork.Visit",
        content_type_field="purpose_type",
        object_id_field="purpose_id",
        related_query_name="draw_item",
    )

    class Meta:
        verbose_name = _("drawn enterprise")
        verbose_name_plural = _("drawn enterprises")
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "enterprise"],
                name="draw_item_enterprise_once",
                violation_error_message=_("An enterprise is drawn once per draw."),
            ),
            models.UniqueConstraint(
                fields=["draw", "position"],
                name="draw_item_position_unique",
                violation_error_message=_("Each position holds one enterprise."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draw} #{self.position}"
