"""Checklists as versioned data: standard → checklist → version → items.

Seeded from ../shared/domain/RULES.md §5 with each item's source tag; a published version is
never edited (a change is a new draft), and every visit pins the version it used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.lib.scoping import ScopeColumns, ScopedQuerySet, holds, scope_of

if TYPE_CHECKING:
    from anjian.enterprises.models import Enterprise


class Determination(models.TextChoices):
    """How a non-compliant answer is judged (重大隐患判定)."""

    MAJOR_DIRECT = "major_direct", _("Major hazard (direct)")
    MAJOR_COMBINED = "major_combined", _("Major hazard element (combined)")
    GENERAL = "general", _("General hazard")


class Verification(models.TextChoices):
    """How sure the item's wording is (RULES.md §0)."""

    VERIFIED = "V", _("Verified against the official text")
    SUPPORTED = "S", _("Supported by secondary copies")
    PARTIAL = "S-partial", _("Partly supported")
    MEMORY = "M", _("Unverified")


class Standard(models.Model):
    """A determination standard or list (e.g. 应急管理部令第10号)."""

    code = models.CharField(max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    doc_no = models.CharField(_("document number"), max_length=100, blank=True)
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.title}（{self.doc_no}）" if self.doc_no else self.title


class ChecklistQuerySet(ScopedQuerySet["Checklist"]):
    scope_columns = ScopeColumns(zone="zone", zone_wide=True, capability="checklists.view")

    def usable_in(self, zone_id: int | None) -> ChecklistQuerySet:
        """The platform's checklists and the zone's own."""
        return self.filter(Q(zone__isnull=True) | Q(zone_id=zone_id))

    def visible_to(self, user: Any) -> ChecklistQuerySet:
        """Everyone with a role reads the platform's checklists (no zone) and their zone's
        own; no zone sees another zone's."""
        q = self.reach(user, also=Q(zone__isnull=True))
        return self.none() if q is None else self.filter(q)


class Checklist(models.Model):
    """A checklist template. `sectors` and `tags` say which enterprises it applies to
    (empty = all); its content lives in versions.

    Without a zone it is the platform's: the national and industry standards seeded from
    RULES.md §5, owned by no zone and changed only by a data migration. With a zone it is
    that zone's own, drafted and published by its zone admin and seen by nobody else.
    """

    zone = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zone"),
    )
    code = models.CharField(max_length=40)
    title = models.CharField(_("title"), max_length=200)
    standard = models.ForeignKey(
        Standard, models.PROTECT, null=True, blank=True, related_name="checklists"
    )
    clause = models.CharField(_("clause"), max_length=50, blank=True)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(zone__isnull=True),
                name="checklist_platform_code_unique",
                violation_error_message=_("The platform has a checklist with this code."),
            ),
            models.UniqueConstraint(
                fields=["zone", "code"],
                condition=Q(zone__isnull=False),
                name="checklist_zone_code_unique",
                violation_error_message=_("Your zone has a checklist with this code."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def applies_to(self, enterprise: Enterprise, tags: set[str]) -> bool:
        if self.sectors and enterprise.sector not in self.sectors:
            return False
        return not self.tags or bool(set(self.tags) & tags)


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class ChecklistVersionQuerySet(models.QuerySet["ChecklistVersion"]):
    def published(self) -> ChecklistVersionQuerySet:
        return self.filter(status=VersionStatus.PUBLISHED)

    def visible_to(self, user: Any) -> ChecklistVersionQuerySet:
        """The published and retired versions of the checklists the user sees (the
        platform's and their zone's); drafts only to the zone admin whose zone owns them."""
        visible = self.filter(checklist__in=Checklist.objects.visible_to(user))
        editing = Q(checklist__zone__isnull=False, checklist__zone_id=scope_of(user).zone_id)
        if not holds(user, "checklists.manage"):
            editing = Q(pk__in=[])
        return visible.filter(~Q(status=VersionStatus.DRAFT) | editing)


class ChecklistVersion(models.Model):
    """One version of a checklist: draft → published → retired (checklists.workflow). Only a
    draft is edited (checklists.services); a published or retired version never changes."""

    checklist = models.ForeignKey(Checklist, models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User", models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ChecklistVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")
        ordering = ["checklist", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "number"],
                name="checklist_version_unique",
                violation_error_message=_("This version number exists."),
            ),
            models.UniqueConstraint(
                fields=["checklist"],
                condition=Q(status="published"),
                name="checklist_one_published",
                violation_error_message=_("A checklist has one published version at a time."),
            ),
            # One draft at a time, so two editors never fork a checklist unknowingly.
            models.UniqueConstraint(
                fields=["checklist"],
                condition=Q(status="draft"),
                name="checklist_one_draft",
                violation_error_message=_("A checklist has one draft at a time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checklist} v{self.number}"


class ChecklistItem(models.Model):
    """One question. `determination` decides the level of the hazard a "non-compliant"
    answer creates; `verification` keeps the source tag of its wording."""

    version = models.ForeignKey(ChecklistVersion, models.CASCADE, related_name="items")
    code = models.CharField(max_length=30)
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(_("text"))
    clause = models.CharField(_("clause"), max_length=50, blank=True)
    determination = models.CharField(
        _("determination"), max_length=20, choices=Determination.choices
    )
    verification = models.CharField(_("source"), max_length=10, choices=Verification.choices)
    tags = models.JSONField(
        _("tags"),
        default=list,
        blank=True,
        help_text="Only for enterprises with one of these tags (empty = all).",
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="checklist_item_code_unique",
                violation_error_message=_("This item code exists."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:40]}"
