"""Importing a hazard ledger: the check (preview) and the all-or-nothing commit, in the
request for a small file and on the job queue for a large one, through the one life cycle of
an import batch (anjian.imports.batches)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.accounts.models import User
from anjian.accounts.permissions import can
from anjian.hazards.importing.reading import Reader, open_file
from anjian.hazards.importing.rows import Report
from anjian.hazards.importing.vocabulary import ALIASES
from anjian.hazards.importing.writing import write
from anjian.hazards.models import Hazard, HazardEvent
from anjian.imports import batches
from anjian.imports.models import ImportBatch, ImportKind
from anjian.imports.reports import ImportRejected
from anjian.jobs import services as jobs
from anjian.jobs.models import Job
from anjian.jobs.registry import handler
from anjian.lib import tabular
from anjian.lib.errors import NotAllowed

Progress = Callable[..., None]
# What a commit does with rows that look like hazards already recorded.
DUPLICATE_CHOICES = ("skip", "keep")


def _check_allowed(by: User) -> None:
    if not can(by, "hazards.import"):
        raise NotAllowed("hazards.import")


def _tell(progress: Progress | None, report: Report, total: int, message: str) -> None:
    if progress is not None:
        progress(report.rows, max(total, report.rows), message)


def preview(content: bytes, filename: str, *, by: User, progress: Progress | None = None) -> Report:
    """Read and check every row. Writes nothing."""
    return _preview(content, filename, by=by, progress=progress, keep=False)[0]


def _preview(
    content: bytes, filename: str, *, by: User, progress: Progress | None, keep: bool
) -> tuple[Report, bytes]:
    """The preview's report, and with `keep` the rows as read, for the commit (a Stash)."""
    _check_allowed(by)
    report = Report(filename=filename)
    table = open_file(content, filename, report)
    if table is None:
        return report, b""
    total = table.estimated_rows
    stash = tabular.Stash(table) if keep else None
    try:
        for chunk in Reader(table, report, by, stash).chunks():
            report.new += sum(1 for r in chunk if not r.duplicate)
            _tell(progress, report, total, _("Checking rows"))
    except tabular.FileRejected as exc:  # damage found past the header, as the rows are read
        report.file_error = str(exc)
        return report, b""
    _tell(progress, report, report.rows, _("Checked"))
    report.errors.sort(key=lambda e: e.row)
    return report, stash.finish() if stash is not None and report.ok else b""


def commit(
    content: bytes,
    filename: str,
    *,
    by: User,
    on_duplicate: str | None,
    batch: ImportBatch | None = None,
    progress: Progress | None = None,
) -> Report:
    """Import the file, or nothing: any bad row, or duplicates without a choice (`skip` or
    `keep`), refuses the whole file. Rows are written a chunk at a time as they are read, in
    one transaction that is rolled back when the file turns out to be refused."""
    _check_allowed(by)
    report = Report(filename=filename)
    table = open_file(content, filename, report)
    if table is None:
        raise ImportRejected(report, report.file_error)
    total = table.estimated_rows
    try:
        with batches.committing(
            batch,
            kind=ImportKind.HAZARDS,
            by=by,
            filename=filename,
            report=report,
            fills=[Hazard, HazardEvent],
        ) as batch:
            try:
                for chunk in Reader(table, report, by).chunks():
                    keep = [r for r in chunk if not (r.duplicate and on_duplicate == "skip")]
                    report.skipped += len(chunk) - len(keep)
                    if report.ok and (on_duplicate in DUPLICATE_CHOICES or not report.duplicates):
                        report.created += write(keep, batch, by=by)
                    _tell(progress, report, total, _("Importing rows"))
            except tabular.FileRejected as exc:  # the rows written so far are rolled back
                report.file_error = str(exc)
                raise ImportRejected(report, report.file_error) from exc
            _tell(progress, report, report.rows, _("Checked"))
            reason = _refusal(report, on_duplicate)
            if reason:
                raise ImportRejected(report, reason)
            report.batch, report.new = batch.pk, report.created
    except ImportRejected as exc:
        exc.report.errors.sort(key=lambda e: e.row)
        exc.report.created = exc.report.skipped = 0
        exc.report.committed, exc.report.batch = False, None
        raise
    return report


def _refusal(report: Report, on_duplicate: str | None) -> str:
    if not report.ok:
        return _("Correct the rows listed and retry.")
    if report.duplicates and on_duplicate not in DUPLICATE_CHOICES:
        return _(
            "%(n)d rows look like hazards already recorded: choose whether to skip or keep them."
        ) % {"n": len(report.duplicates)}
    return ""


# --- large files, on the job queue ---------------------------------------------------------


def estimated_rows(content: bytes, filename: str) -> int:
    """Roughly how many rows a file has (0 when it cannot be read): decides whether the
    file is checked and imported in the background."""
    try:
        table = tabular.read_table(
            content, filename, ALIASES, required=[], max_bytes=settings.IMPORT_MAX_BYTES
        )
    except tabular.FileRejected:
        return 0
    return table.estimated_rows


def in_background(rows: int) -> bool:
    return rows > settings.HAZARD_IMPORT_BACKGROUND_ROWS


def check_batch(batch: ImportBatch, *, by: User, progress: Progress | None = None) -> Report:
    """Preview an uploaded batch and keep its report. A good file's rows are kept, as read,
    in place of the file, for the commit; a bad file is not kept at all."""
    content = bytes(batch.content)
    report, rows = _preview(content, batch.filename, by=by, progress=progress, keep=True)
    batches.keep_check(batch, report, rows)
    return report


def commit_batch(
    batch: ImportBatch, *, by: User, on_duplicate: str | None, progress: Progress | None = None
) -> Report:
    """Commit an uploaded batch; a refusal is kept on the batch's report and raised."""
    try:
        return commit(
            bytes(batch.content),
            batch.filename,
            by=by,
            on_duplicate=on_duplicate,
            batch=batch,
            progress=progress,
        )
    except ImportRejected as exc:
        batches.keep_refusal(batch, exc)
        raise


def submit_batch(
    batch: ImportBatch, *, by: User, step: str, on_duplicate: str | None = None
) -> Job:
    """Put a step (`check` or `commit`) of an uploaded batch on the job queue; when it is
    done, the job points to the batch's preview."""
    params: dict[str, Any] = {"batch": batch.pk, "step": step}
    if step == "commit":
        params["on_duplicate"] = on_duplicate
    return jobs.submit(
        "hazards.import",
        user=by,
        params=params,
        next_url=reverse("hazards:import_preview", args=[batch.pk]),
    )


@handler("hazards.import", label=gettext_lazy("Hazard ledger import"))
def run_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Check (`step` = check) or commit (`step` = commit) an uploaded batch on the queue."""
    batch = ImportBatch.objects.get(pk=job.params["batch"], user=job.user, kind=ImportKind.HAZARDS)
    if job.params.get("step") == "commit":
        try:
            report = commit_batch(
                batch, by=job.user, on_duplicate=job.params.get("on_duplicate"), progress=progress
            )
        except ImportRejected as exc:
            return {"committed": False, "refused": exc.reason, "rows": exc.report.rows}
        return {"committed": True, "created": report.created, "skipped": report.skipped}
    report = check_batch(batch, by=job.user, progress=progress)
    return {
        "rows": report.rows,
        "errors": len(report.errors),
        "duplicates": len(report.duplicates),
        "ok": report.ok,
    }
