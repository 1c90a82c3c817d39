"""The hazard ledger (隐患排查治理台账): one row per hazard, and its events.

Field names and codes follow the national dual-prevention interface (FIELD-NOTES.md §4.2):
level ↔ dangerLevel, source ↔ dangerSrc, rectify_type ↔ dangerManageType, hazard_type ↔
hazardDangerType, management_class ↔ managementClassification. Overdue is derived from the
deadline, never stored as a status.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anjian.enterprises.models import placed_record_columns
from anjian.hazards.accident_types import CHOICES as ACCIDENT_TYPES
from anjian.lib import lookups  # noqa: F401  (registers __in_literal)
from anjian.lib.scoping import ScopedQuerySet


class Level(models.TextChoices):
    """dangerLevel: 0 一般隐患, 1 重大隐患."""

    GENERAL = "0", _("General")
    MAJOR = "1", _("Major")


class Source(models.TextChoices):
    """dangerSrc (1–10), plus 11 for a government supervisory inspection and 12 for a grid
    worker's patrol: the national set knows neither, and a patrol is not an inspection
    (国办发〔2024〕54号)."""

    DAILY = "1", _("Daily check")
    COMPREHENSIVE = "2", _("Comprehensive check")
    SPECIALIZED = "3", _("Specialized check")
    SEASONAL = "4", _("Seasonal check")
    HOLIDAY = "5", _("Check before key periods and holidays")
    ACCIDENT_ANALOGY = "6", _("Check by accident analogy")
    RESUMPTION = "7", _("Check before resuming work")
    EXTERNAL_EXPERT = "8", _("Diagnosis by engaged experts")
    CONTROL_FAILURE = "9", _("Control measure failed")
    OTHER = "10", _("Other")
    GOVERNMENT = "11", _("Government supervisory inspection")
    GRID_PATROL = "12", _("Grid patrol")


class RectifyType(models.TextChoices):
    """dangerManageType: 0 即查即改, 1 限期整改."""

    IMMEDIATE = "0", _("Fixed on the spot")
    DEADLINE = "1", _("Rectify by a deadline")


class HazardType(models.TextChoices):
    """hazardDangerType 1–8."""

    SAFETY = "1", _("Safety")
    PROCESS = "2", _("Process")
    ELECTRICAL = "3", _("Electrical")
    INSTRUMENT = "4", _("Instrumentation")
    FIRE = "5", _("Fire protection")
    LAYOUT = "6", _("General layout")
    EQUIPMENT = "7", _("Equipment")
    OTHER = "8", _("Other")


class ManagementClass(models.TextChoices):
    """managementClassification (16号令 第三条)."""

    UNSAFE_ACT = "1", _("Unsafe act of a person")
    UNSAFE_CONDITION = "2", _("Unsafe condition of an object")
    MANAGEMENT_DEFECT = "3", _("Management defect")


class Finder(models.TextChoices):
    """Who found it: decides who may accept the rectification (RULES.md §3.1)."""

    GRID = "grid", _("Grid patrol")
    OFFICER = "officer", _("Administrative inspection")
    EXPERT = "expert", _("Third-party expert")
    ENTERPRISE = "enterprise", _("Enterprise self-inspection")
    LEADER = "leader", _("Leader's visit")
    IMPORT = "import", _("Imported ledger")


class Status(models.TextChoices):
    # General hazard (RULES.md §3.1)
    REGISTERED = "registered", _("Registered")
    RECTIFYING = "rectifying", _("Rectifying")
    SUBMITTED = "submitted", _("Awaiting acceptance")
    CLOSED = "closed", _("Accepted and closed")
    VOID = "void", pgettext_lazy("hazard status", "Void")
    # Major hazard (RULES.md §3.2)
    REPORTED = "reported", _("Reported")
    CONFIRMED = "confirmed", _("Confirmed")
    PLAN_FILED = "plan_filed", _("Plan filed")
    REMEDIATING = "remediating", _("Remediating")
    SELF_ASSESSED = "self_assessed", _("Self-assessed")
    UNDER_REVIEW = "under_review", _("Under government review")
    WRITTEN_OFF = "written_off", _("Written off")


TERMINAL = frozenset({Status.CLOSED, Status.VOID, Status.WRITTEN_OFF})
OPEN = frozenset(set(Status.values) - TERMINAL)
# dangerState of the national interface: 0 整改中, 1 待验收, 9 已验收.
DANGER_STATE = {
    Status.SUBMITTED: 1,
    Status.UNDER_REVIEW: 1,
    Status.CLOSED: 9,
    Status.WRITTEN_OFF: 9,
}


def overdue(status: str, deadline: datetime.date | None, today: datetime.date) -> bool:
    """Overdue is derived, never stored: still open and past its deadline."""
    return status in OPEN and deadline is not None and deadline < today


class HazardQuerySet(ScopedQuerySet["Hazard"]):
    """The ledger a user may see: the same reach as the registry, on the hazard's own copy
    of its enterprise's place (closed hazards keep the place they were closed in)."""

    scope_columns = placed_record_columns()
    detail_related = ("enterprise", "grid", "office", "acceptor", "found_by")

    def open(self) -> HazardQuerySet:
        # Literal codes, so SQLite can use the partial indexes on open hazards (lib.lookups).
        return self.filter(status__in_literal=OPEN)

    def overdue(self, today: datetime.date | None = None) -> HazardQuerySet:
        """Open hazards past their deadline (a deadline is a date: due at the end of it)."""
        return self.open().filter(deadline__lt=today or timezone.localdate())

    def closed(self) -> HazardQuerySet:
        return self.filter(status__in=[Status.CLOSED, Status.WRITTEN_OFF])


class Hazard(models.Model):
    """One hazard (隐患), general or major, with the national field set.

    Written only by hazards.workflow; the enterprise's grid, village, office and zone are
    copied onto the row for scope (PERFORMANCE.md lesson 2).
    """

    client_uuid = models.UUIDField(unique=True, null=True, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        models.PROTECT,
        related_name="hazards",
        verbose_name=_("enterprise"),
    )
    grid = models.ForeignKey("regions.Grid", models.PROTECT, related_name="+")
    village = models.ForeignKey("regions.Region", models.PROTECT, related_name="+")
    office = models.ForeignKey("regions.Region", models.PROTECT, related_name="+")
    zone = models.ForeignKey("regions.Region", models.PROTECT, related_name="+")
    # Where it came from: a record of the capability that found it (a visit today; a dual-
    # prevention check task, a campaign task, an expert's service tomorrow), by content type
    # and id, so the ledger needs no column, and no import, per source (hazards.origins).
    origin_type = models.ForeignKey(
        "contenttypes.ContentType", models.PROTECT, null=True, blank=True, related_name="+"
    )
    origin_id = models.PositiveBigIntegerField(null=True, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    # The checklist clause it breaches, when a checklist found it.
    item = models.ForeignKey(
        "checklists.ChecklistItem",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="hazards",
        verbose_name=_("checklist item"),
    )

    # What (dangerName / dangerDesc / dangerReason)
    name = models.CharField(_("hazard"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    reason = models.TextField(_("cause"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=1, choices=Level.choices)
    source = models.CharField(_("source"), max_length=2, choices=Source.choices)
    rectify_type = models.CharField(_("rectification"), max_length=1, choices=RectifyType.choices)
    hazard_type = models.CharField(
        _("hazard type"), max_length=1, choices=HazardType.choices, default=HazardType.SAFETY
    )
    management_class = models.CharField(
        _("management classification"), max_length=1, choices=ManagementClass.choices, blank=True
    )
    accident_type = models.CharField(
        _("accident type (GB 6441)"), max_length=10, blank=True, choices=ACCIDENT_TYPES
    )
    basis = models.CharField(_("basis (standard and clause)"), max_length=300, blank=True)

    # Who and when found
    finder = models.CharField(_("found by"), max_length=12, choices=Finder.choices)
    found_by = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finder"),
    )
    found_on = models.DateField(_("found on"))
    # People named in an imported ledger who have no account here: kept as the file wrote them.
    found_by_name = models.CharField(_("finder (as imported)"), max_length=50, blank=True)

    # Rectification (liablePerson, controlMeasures, cost, dangerManageDeadline)
    liable_person = models.CharField(_("person responsible"), max_length=50, blank=True)
    measures = models.TextField(_("measures"), blank=True)
    funds = models.DecimalField(
        _("funds (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    extension_requested_until = models.DateField(null=True, blank=True, editable=False)
    extension_reason = models.CharField(max_length=300, blank=True, editable=False)

    # Acceptance (checkAcceptPerson / Time / Comment)
    acceptor = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accept_comment = models.TextField(_("acceptance comment"), blank=True)
    acceptor_name = models.CharField(_("accepted by (as imported)"), max_length=50, blank=True)

    # Major hazards: the remediation plan (16号令 第十五条, six elements) and more
    plan_objectives = models.TextField(_("objectives and tasks"), blank=True)
    plan_methods = models.TextField(_("methods and measures"), blank=True)
    plan_funding = models.TextField(_("funding and materials"), blank=True)
    plan_organisation = models.TextField(_("responsible organisation and people"), blank=True)
    plan_time_limit = models.TextField(_("time limit and requirements"), blank=True)
    plan_safety_measures = models.TextField(_("safety measures and emergency plan"), blank=True)
    production_suspended = models.BooleanField(_("production suspended"), default=False)

    status = models.CharField(_("status"), max_length=15, choices=Status.choices, editable=False)
    rejections = models.PositiveSmallIntegerField(_("rejections"), default=0, editable=False)
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    imported = models.BooleanField(default=False, editable=False)

    before_photos = models.ManyToManyField("evidence.Photo", blank=True, related_name="+")
    after_photos = models.ManyToManyField("evidence.Photo", blank=True, related_name="+")

    objects = HazardQuerySet.as_manager()

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["-found_on", "-id"]
        indexes = [
            # The ledger in each scope, newest first, paged by (found_on, id).
            models.Index(fields=["zone", "found_on", "id"], name="hazard_zone_found"),
            # On SQLite, migration 0007 replaces this one with hazard_office_text, the same
            # columns followed by those the free text reads; PostgreSQL keeps it and has a
            # trigram index on those columns instead (hazards.filters.text_matches).
            models.Index(fields=["office", "found_on", "id"], name="hazard_office_found"),
            models.Index(fields=["grid", "found_on", "id"], name="hazard_grid_found"),
            models.Index(fields=["enterprise", "found_on", "id"], name="hazard_ent_found"),
            models.Index(fields=["found_on", "id"], name="hazard_found"),
            # Rare levels (major hazards) in a scope: without these the newest-first walk reads
            # the zone's general hazards to find a page of major ones (72 ms at city scale).
            models.Index(
                fields=["zone", "level", "found_on", "id"], name="hazard_zone_level_found"
            ),
            models.Index(
                fields=["office", "level", "found_on", "id"], name="hazard_office_level_found"
            ),
            # Counts by scope, status, level and deadline (dashboards, overdue).
            models.Index(fields=["zone", "status", "level", "deadline"], name="hazard_zone_state"),
            models.Index(
                fields=["office", "status", "level", "deadline"], name="hazard_office_state"
            ),
            # Open and overdue lists: a partial index on the open statuses.
            models.Index(
                fields=["deadline", "zone"],
                condition=Q(status__in=sorted(OPEN)),
                name="hazard_open_deadline",
            ),
            # Open and overdue hazards of an office, newest first: the few open rows of the
            # office instead of a walk through its closed ones (overdue ones are rare).
            models.Index(
                fields=["office", "found_on", "id"],
                condition=Q(status__in=sorted(OPEN)),
                name="hazard_office_open_found",
            ),
            # The hazards found by one record (a visit's, for its page and its notice).
            models.Index(fields=["origin_type", "origin_id"], name="hazard_origin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rectify_type="0")
                | Q(deadline__isnull=False)
                | Q(status__in=["registered", "reported", "confirmed", "void"]),
                name="hazard_deadline_when_rectifying",
                violation_error_message=_("A hazard rectified by a deadline needs the deadline."),
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(accepted_at__isnull=False),
                name="hazard_closed_has_acceptance",
                violation_error_message=_("A closed hazard records when it was accepted."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_major(self) -> bool:
        return self.level == Level.MAJOR

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return overdue(self.status, self.deadline, today or timezone.localdate())

    @property
    def danger_state(self) -> int:
        return DANGER_STATE.get(Status(self.status), 0)


class HazardEvent(models.Model):
    """One step in a hazard's life (Saleor's OrderEvent shape): who, when, what, evidence."""

    hazard = models.ForeignKey(Hazard, models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(max_length=15, blank=True)
    to_status = models.CharField(max_length=15)
    actor = models.ForeignKey(
        "accounts.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    photos = models.ManyToManyField("evidence.Photo", blank=True, related_name="+")
    imported = models.BooleanField(default=False)
    # Where an imported event came from: the upload (file, importer, time) and its row.
    batch = models.ForeignKey(
        "imports.ImportBatch", models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_row = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("hazard event")
        verbose_name_plural = _("hazard events")
        ordering = ["at", "id"]
        indexes = [
            # A hazard's timeline.
            models.Index(fields=["hazard", "at"], name="hazard_event_timeline"),
        ]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.action}"
