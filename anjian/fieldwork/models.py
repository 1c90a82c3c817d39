"""Field work: visits to enterprises (one row per visit), their checklist answers, photos."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anjian.enterprises.models import placed_record_columns
from anjian.lib.scoping import ScopedQuerySet


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
    # What the visit carries out, if anything: a drawn enterprise of a double-random draw
    # today, a campaign's task tomorrow — a record of the app that planned it, by content
    # type and id (fieldwork.purposes), so visits need no column, and no import, per plan.
    purpose_type = models.ForeignKey(
        "contenttypes.ContentType", models.PROTECT, null=True, blank=True, related_name="+"
    )
    purpose_id = models.PositiveBigIntegerField(null=True, blank=True)
    purpose = GenericForeignKey("purpose_type", "purpose_id")
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
            # An enterprise's file: its visits; and coverage, which counts each enterprise's
            # checks in a period from this index alone (kind and outcome carried in it: half
            # the time of reading the rows at city scale).
            models.Index(
                fields=["enterprise", "visited_on", "kind", "outcome"],
                name="visit_enterprise_day_kind",
            ),
            # Coverage per person.
            models.Index(fields=["recorded_by", "visited_on"], name="visit_person_day"),
            # The visits that carry out one plan (a drawn enterprise's inspections).
            models.Index(fields=["purpose_type", "purpose_id"], name="visit_purpose"),
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
