"""Files brought in (the registry, hazard ledgers): each upload is a batch with one life
cycle — uploaded, checked, committed at most once (anjian.imports.batches)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.lib.scoping import ScopeColumns, ScopedQuerySet


class ImportBatchQuerySet(ScopedQuerySet["ImportBatch"]):
    # An upload awaiting commit is its uploader's alone.
    scope_columns = ScopeColumns(person="user")


class ImportKind(models.TextChoices):
    REGISTRY = "registry", _("Enterprise registry")
    HAZARDS = "hazards", _("Hazard ledger")


class ImportBatch(models.Model):
    """An uploaded file (registry or hazard ledger) between its preview and its commit, and
    afterwards the record of who imported what, when, and with what result (imported hazard
    events point at it).

    The file is kept in the database, not on one server's disk, so the commit may be served
    by any app server; it is emptied once committed.
    """

    kind = models.CharField(max_length=10, choices=ImportKind.choices, default=ImportKind.REGISTRY)
    user = models.ForeignKey("accounts.User", models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    rows = models.PositiveIntegerField(default=0)
    content = models.BinaryField()
    report = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    committed_at = models.DateTimeField(null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return self.filename
