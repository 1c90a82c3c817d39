"""Enforcement (执法): the documents that order a rectification today — rectification
notices and orders — and the escalation ladder that grows from them (supervision orders,
warning interviews, listed supervision, cases)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.documents.models import OfficialDocument
from anjian.enterprises.models import EnterpriseQuerySet
from anjian.lib.scoping import ScopedQuerySet


class NoticeType(models.TextChoices):
    """The two documents that order a rectification.

    责令限期整改指令书 (rectification order) is an enforcement document: only a licensed
    officer issues it (国办发〔2024〕54号, RULES.md §2.7). 整改通知书 (rectification notice)
    is the zone safety office's notice without enforcement force.
    """

    ORDER = "order", _("Order to rectify within a time limit")
    NOTICE = "notice", _("Rectification notice")


class NoticeQuerySet(ScopedQuerySet["Notice"]):
    # Notices to the enterprises the user can see (the enterprise sees its own).
    scope_columns = EnterpriseQuerySet.scope_columns.through("enterprise")
    detail_related = ("enterprise", "issued_by", "visit")


class Notice(OfficialDocument):
    """A numbered rectification order or notice (责令限期整改指令书 / 整改通知书) naming one
    or more hazards of one enterprise, with its service and sign-for (送达 / 签收).

    Written only by enforcement.notices; numbered per (type, issuing body, year) by
    documents.numbering.
    """

    type = models.CharField(_("type"), max_length=10, choices=NoticeType.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        models.PROTECT,
        related_name="notices",
        verbose_name=_("enterprise"),
    )
    visit = models.ForeignKey(
        "fieldwork.Visit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("visit"),
    )
    hazards = models.ManyToManyField(
        "hazards.Hazard", related_name="notices", verbose_name=_("hazards")
    )
    deadline = models.DateField(_("rectify by"))
    requirements = models.TextField(_("requirements"), blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification notice")
        verbose_name_plural = _("rectification notices")
        ordering = ["-issued_on", "-id"]
        indexes = [
            # An enterprise's notices, newest first (its file, and the scope filter's join).
            models.Index(fields=["enterprise", "issued_on", "id"], name="notice_ent_issued"),
            # The notice list, newest first, paged by (issued_on, id).
            models.Index(fields=["issued_on", "id"], name="notice_issued"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["type", "body", "year", "seq"],
                name="notice_number_once",
                violation_error_message=_("This number has been given to another notice."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("issued_on")),
                name="notice_deadline_after_issue",
                violation_error_message=_("The deadline cannot be before the notice is issued."),
            ),
            models.CheckConstraint(
                condition=Q(served_on__isnull=True) | Q(served_on__gte=models.F("issued_on")),
                name="notice_served_after_issue",
                violation_error_message=_("A notice cannot be served before it is issued."),
            ),
        ]

    def __str__(self) -> str:
        return self.number
