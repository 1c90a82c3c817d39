"""Field work: visits to enterprises (one row per visit), their checklist answers, photos."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anjian.enterprises.models import (
    RiskClass,
    Sector,
    StandardizationGrade,
    placed_record_columns,
)
from anjian.lib.scoping import ScopeColumns, ScopedQuerySet, scope_of
from anjian.regions.models import RegionLevel


class VisitKind(models.TextChoices):
    """Kinds of visit. Patrols (巡查) are not administrative inspections (检查): by
    国办发〔2024〕54号 grid workers and third parties may not run the latter."""

    PATROL = "patrol", _("Grid patrol")
    INSPECTION = "inspection", _("Administrative inspection")
    DOUBLE_RANDOM = "double_random", _("Double-random inspection")
    EXPERT_CHECK = "expert_check", _("Expert check")
    SELF_INSPECTION = "self_inspection", _("Self-inspection")
    LIAISON = "liaison", _("Leader's liaison visit")


class Outcome(models.TextChoices):
    """What the visitor found at the door. Only "inspected" is a check; the others are
    counted apart and feed back into the registry."""

    INSPECTED = "inspected", _("Inspected")
    CLOSED = "closed", _("Closed down")
    MOVED = "moved", _("Moved away")
    LOCKED = "locked", _("Locked, nobody there")
    NOT_FOUND = "not_found", pgettext_lazy("visit outcome", "Not found")
    VACANT = "vacant", _("Premises vacant")
    REFUSED = "refused", _("Entry refused")


class VisitQuerySet(ScopedQuerySet["Visit"]):
    """Visits by the place they were made in: a visit is a closed record, so it stays with
    the grid of record when its enterprise later moves."""

    # Visits carry no village of their own: a village's are read through the enterprise.
    scope_columns = placed_record_columns(village="enterprise__village")
    detail_related = ("enterprise", "recorded_by", "checklist_version__checklist")

    def checks(self) -> VisitQuerySet:
        """Visits that were real checks (the door was open)."""
        return self.filter(outcome=Outcome.INSPECTED)


class Visit(models.Model):
    """One visit to one enterprise by one or more people (a child row, never columns).

    `client_uuid` is made by the device, so a retried submit finds the first visit instead
    of writing a second. The enterprise's grid, office and zone are copied for scope.
    """

    client_uuid = models.UUIDField(unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=VisitKind.choices)
    enterprise = models.ForeignKey("enterprises.Enterprise", models.PROTECT, related_name="visits")
    grid = models.ForeignKey("regions.Grid", models.PROTECT, related_name="+")
    office = models.ForeignKey("regions.Region", models.PROTECT, related_name="+")
    zone = models.ForeignKey("regions.Region", models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="visits")
    people = models.ManyToManyField(
        "accounts.User", related_name="+", blank=True, verbose_name=_("people")
    )
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    visited_on = models.DateField(_("date"), db_index=False)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    checklist_version = models.ForeignKey(
        "checklists.ChecklistVersion", models.PROTECT, null=True, blank=True, related_name="visits"
    )
    note = models.TextField(_("note"), blank=True)
    photos = models.ManyToManyField("evidence.Photo", blank=True, related_name="visits")
    # The hazards found on this visit (their origin). Visits are records and are never
    # deleted; were one deleted, its hazards would go with it.
    hazards = GenericRelation(
        "hazards.Hazard",
        content_type_field="origin_type",
        object_id_field="origin_id",
        related_query_name="visit",
    )
    # A double-random inspection: the drawn enterprise it carries out (fieldwork.draws).
    draw_item = models.ForeignKey(
        "fieldwork.DrawItem", models.PROTECT, null=True, blank=True, related_name="visits"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [
            # Coverage and the visit list in each scope, newest first.
            models.Index(fields=["zone", "visited_on", "id"], name="visit_zone_day"),
            models.Index(fields=["office", "visited_on", "id"], name="visit_office_day"),
            models.Index(fields=["grid", "visited_on", "id"], name="visit_grid_day"),
            # An enterprise's file: its visits.
            models.Index(fields=["enterprise", "visited_on"], name="visit_enterprise_day"),
            # Coverage per person.
            models.Index(fields=["recorded_by", "visited_on"], name="visit_person_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="visit_ends_after_start",
                violation_error_message=_("A visit cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.enterprise} {self.visited_on}"


class Result(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    NON_COMPLIANT = "non_compliant", _("Non-compliant")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Answer(models.Model):
    """The answer to one checklist item in one visit."""

    visit = models.ForeignKey(Visit, models.CASCADE, related_name="answers")
    item = models.ForeignKey("checklists.ChecklistItem", models.PROTECT, related_name="answers")
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    note = models.TextField(_("note"), blank=True)
    photos = models.ManyToManyField("evidence.Photo", blank=True, related_name="answers")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "item"],
                name="answer_once_per_item",
                violation_error_message=_("This item is answered already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.result}"


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
    result (fieldwork.draws.replay). Once published (公开) a draw never changes.
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


class PolicyPeriod(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class SourceTag(models.TextChoices):
    """How sure a rule is (RULES.md §0); local practice [L] is what policy tables hold."""

    VERIFIED = "V", _("Verified against the official text")
    SUPPORTED = "S", _("Supported by secondary copies")
    MEMORY = "M", _("Unverified")
    LOCAL = "L", _("Local practice")


class CoveragePolicyQuerySet(ScopedQuerySet["CoveragePolicy"]):
    scope_columns = ScopeColumns(zone="zone", zone_wide=True, capability="coverage.view")

    def visible_to(self, user: Any) -> CoveragePolicyQuerySet:
        """The platform defaults (rows without a zone) and the rows of the user's zone."""
        defaults = Q(zone__isnull=True) if scope_of(user).zone_id else None
        q = self.reach(user, also=defaults)
        return self.none() if q is None else self.filter(q)


class CoveragePolicy(models.Model):
    """How many supervision visits an enterprise needs in each month, quarter or year (频次),
    by sector, risk class and standardization grade (empty = any).

    The most specific row that matches an enterprise applies. Rows without a zone are the
    platform defaults (seeded from RULES.md's [L] examples); a zone that adopts the table
    edits its own copy, which then replaces the defaults for that zone.
    """

    zone = models.ForeignKey(
        "regions.Region", models.PROTECT, null=True, blank=True, related_name="+"
    )
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)
    risk_class = models.CharField(
        _("risk class"), max_length=10, choices=RiskClass.choices, blank=True
    )
    standardization_grade = models.CharField(
        _("standardization grade"), max_length=10, choices=StandardizationGrade.choices, blank=True
    )
    visits = models.PositiveSmallIntegerField(_("visits required"))
    period = models.CharField(_("per"), max_length=10, choices=PolicyPeriod.choices)
    source_tag = models.CharField(
        _("source tag"), max_length=1, choices=SourceTag.choices, default=SourceTag.LOCAL
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = CoveragePolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("coverage policy")
        verbose_name_plural = _("coverage policies")
        ordering = ["zone", "sector", "risk_class", "standardization_grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "sector", "risk_class", "standardization_grade"],
                condition=Q(zone__isnull=False),
                name="coverage_policy_unique_in_zone",
                violation_error_message=_("The zone already has a rule for these enterprises."),
            ),
            models.UniqueConstraint(
                fields=["sector", "risk_class", "standardization_grade"],
                condition=Q(zone__isnull=True),
                name="coverage_policy_default_unique",
                violation_error_message=_("There is a default rule for these enterprises."),
            ),
            models.CheckConstraint(
                condition=Q(visits__lte=100),
                name="coverage_policy_visits_sane",
                violation_error_message=_("At most 100 visits per period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visits}/{self.period} {self.sector or '*'} {self.risk_class or '*'}"
