"""Official documents (执法文书 and notices): their numbers, who issued them, their service.

A capability that issues documents (enforcement's notices today; supervision orders, interview
records, penalty decisions next) gives its model the fields of `OfficialDocument` and takes
its numbers from `documents.numbering` and records service through `documents.service`.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """The last number one issuing body gave one kind of document in one year: one row per
    (kind, body, year), locked while a document is issued so that numbers are gapless and
    never given twice (documents.numbering)."""

    kind = models.CharField(max_length=40)
    body = models.ForeignKey("regions.Region", models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "body", "year"],
                name="document_counter_once",
                violation_error_message=_("This kind already has a counter for this year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.body_id} {self.year}: {self.last}"


class OfficialDocument(models.Model):
    """The fields every numbered document has: who issued it (the issuing body — the zone
    whose office signs it — and the person), its number "X〔YYYY〕第N号" made from (year,
    seq), and its service: when it was served and who signed for it (送达 / 签收).

    Abstract: each kind of document is its own model with its own content and constraints;
    the numbering unique per (kind, body, year, seq) is declared by the concrete model,
    which knows which column holds its kind.
    """

    body = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="+", verbose_name=_("issuing body")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("sequence number"))
    number = models.CharField(_("number"), max_length=50)
    issued_by = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    issued_on = models.DateField(_("issued on"))
    served_on = models.DateField(_("served on"), null=True, blank=True)
    received_by = models.CharField(_("received by"), max_length=50, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True
