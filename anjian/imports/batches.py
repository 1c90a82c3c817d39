"""One life cycle for every import batch: uploaded, checked (its report kept), committed at
most once. The commit locks its batch inside the commit's own transaction, so two commits of
one upload (a double click, a retried request, two app servers) cannot both import it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.audit.log import channel
from anjian.audit.models import Channel
from anjian.imports.models import ImportBatch
from anjian.imports.reports import BaseReport, ImportRejected
from anjian.lib import bulk


def upload(
    kind: str,
    *,
    by: Any,
    filename: str,
    content: bytes,
    rows: int = 0,
    report: BaseReport | None = None,
) -> ImportBatch:
    """Keep an uploaded file until it is committed; `report` when it has been checked
    already (then `content` is what the commit will read: nothing for a bad file)."""
    return ImportBatch.objects.create(
        kind=kind,
        user=by,
        filename=filename,
        rows=report.rows if report is not None else rows,
        content=content,
        report=report.as_dict() if report is not None else {},
    )


def get_batch_for(user: Any, pk: int, kind: str, *, pending: bool = False) -> ImportBatch:
    """One of the user's uploads of this kind (with `pending`, not yet committed)."""
    batches = ImportBatch.objects.visible_to(user).filter(kind=kind)
    if pending:
        batches = batches.filter(committed_at__isnull=True)
    batch = batches.filter(pk=pk).first()
    if batch is None:
        raise Http404("import")
    return batch


def keep_check(batch: ImportBatch, report: BaseReport, content: bytes) -> None:
    """Keep what the check found and what the commit will read: the file, or for a good file
    what the check made of it; nothing for a bad file."""
    batch.rows, batch.report, batch.content = report.rows, report.as_dict(), content
    batch.save(update_fields=["rows", "report", "content"])


def keep_refusal(batch: ImportBatch, refused: ImportRejected) -> None:
    """Keep why a commit was refused on the batch's report (the preview shows it)."""
    batch.report = {**refused.report.as_dict(), "refused": refused.reason}
    batch.save(update_fields=["report"])


@contextmanager
def committing(
    batch: ImportBatch | None,
    *,
    kind: str,
    by: Any,
    filename: str,
    report: BaseReport,
    fills: Sequence[type[Model]] = (),
) -> Iterator[ImportBatch]:
    """The commit's transaction. Yields the batch — `batch` locked, refused if another commit
    got there first, or a new one for a file committed without a preview — to write the rows
    against; when the block ends without a refusal, the batch is marked committed with
    `report`, emptied and kept as the record of the import. An ImportRejected raised in the
    block rolls everything back, the batch's lock included. Once a large import (at least
    ANALYZE_AFTER_ROWS rows) has committed, the tables it `fills` get fresh statistics before
    the commit returns: the planner is never blind to what it just imported."""
    with channel(Channel.IMPORT), transaction.atomic():
        if batch is None:
            batch = ImportBatch.objects.create(kind=kind, user=by, filename=filename)
        elif not _lock_pending(batch):
            raise ImportRejected(report, _("This file has already been imported."))
        yield batch
        report.committed = True
        batch.committed_at, batch.rows, batch.content = timezone.now(), report.rows, b""
        batch.report = report.as_dict()
        batch.save(update_fields=["committed_at", "rows", "content", "report"])
        if fills and report.rows >= settings.ANALYZE_AFTER_ROWS:
            transaction.on_commit(lambda: bulk.analyze(fills))


def _lock_pending(batch: ImportBatch) -> bool:
    """Lock the upload for this commit; False if another commit of it got there first: it
    waited on the lock (PostgreSQL's row lock, SQLite's IMMEDIATE transaction) and must not
    import twice."""
    return (
        ImportBatch.objects.select_for_update()
        .filter(pk=batch.pk, committed_at__isnull=True)
        .exists()
    )
