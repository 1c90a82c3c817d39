"""Field work: visits to enterprises (one row per visit), their checklist answers, photos."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from anjian.accounts.models import User


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
    NOT_FOUND = "not_found", _("Not found")
    VACANT = "vacant", _("Premises vacant")
    REFUSED = "refused", _("Entry refused")


class Photo(models.Model):
    """A photo taken in the field: checked by content type and size when uploaded, with
    the time and place it was taken. Visits, answers and hazard events point at photos."""

    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4)
    file = models.FileField(upload_to="photos/%Y/%m/")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    taken_at = models.DateTimeField(default=timezone.now)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    zone = models.ForeignKey("regions.Region", models.PROTECT, related_name="+", null=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return f"photo {self.pk}"


class VisitQuerySet(models.QuerySet["Visit"]):
    def visible_to(self, user: User) -> VisitQuerySet:
        """Visits to the enterprises the user can see."""
        from anjian.enterprises.models import Enterprise

        return self.filter(enterprise__in=Enterprise.objects.visible_to(user))

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
    photos = models.ManyToManyField(Photo, blank=True, related_name="visits")
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
    photos = models.ManyToManyField(Photo, blank=True, related_name="answers")

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


class EngagementQuerySet(models.QuerySet["Engagement"]):
    def active(self, on: datetime.date | None = None) -> EngagementQuerySet:
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on, ends_on__gte=on)

    def visible_to(self, user: User) -> EngagementQuerySet:
        from anjian.accounts.models import Role
        from anjian.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.agency_id:
            return self.filter(experts=user)
        if getattr(user, "role", None) in (Role.ZONE_ADMIN, Role.OFFICER, Role.LEADER):
            return self.filter(zone_id=scope.zone_id)
        return self.none()


class Engagement(models.Model):
    """A third-party agency engaged for a time to check named enterprises (安全管家).

    An expert sees, and may check, the enterprises of their active engagements only; their
    findings are hazards referred to the competent officer.
    """

    zone = models.ForeignKey("regions.Region", models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", models.PROTECT, related_name="engagements")
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    enterprises = models.ManyToManyField("enterprises.Enterprise", related_name="engagements")
    experts = models.ManyToManyField("accounts.User", related_name="engagements")

    objects = EngagementQuerySet.as_manager()

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="engagement_ends_after_start",
                violation_error_message=_("It cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title
