"""/api/v1/hazards/import: check a hazard ledger file, or import it all or nothing."""

from __future__ import annotations

from typing import Any

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from anjian.accounts.typing import AuthedRequest
from anjian.hazards import importing
from anjian.imports import batches
from anjian.imports.endpoints import ReportOut, api_import, check_import_request
from anjian.imports.models import ImportKind
from anjian.lib.api import errors

router = Router(tags=["hazards"])


class DuplicateOut(Schema):
    row: int
    enterprise: str
    description: str
    found_on: str
    other_row: int | None
    existing_id: int | None
    existing_found_on: str


class HazardImportOut(ReportOut):
    duplicates: list[DuplicateOut]
    unmatched: int
    ambiguous: int
    by_status: dict[str, int]
    batch: int | None


class HazardImportReportOut(HazardImportOut):
    checked: bool
    refused: str = ""


class ImportJobOut(Schema):
    job: int
    batch: int
    state: str
    job_url: str
    report_url: str


class HazardImportRejectedOut(Schema):
    detail: str
    errors: list[dict[str, str]]
    report: HazardImportOut


@router.post(
    "",
    response={
        200: HazardImportOut,
        202: ImportJobOut,
        422: HazardImportRejectedOut,
        **errors(401, 403),
    },
)
def import_ledger(
    request: AuthedRequest,
    file: File[UploadedFile],
    commit: Form[bool] = False,
    on_duplicate: Form[str | None] = None,
) -> Any:
    """Check a hazard ledger (`commit=false`, the default) or import it all-or-nothing.

    With `commit=true`, any bad row, or rows that look like recorded hazards without
    `on_duplicate` = `skip` | `keep`, refuses the whole file with 422 and the report.

    A file of more than `HAZARD_IMPORT_BACKGROUND_ROWS` rows is checked or imported on the
    job queue: the answer is 202 with the job (poll `job_url` until it is `done`; its result
    says whether the import was committed or refused) and `report_url`, the full report.
    """
    check_import_request(
        request.user,
        "hazards.import",
        commit=commit,
        on_duplicate=on_duplicate,
        choices=importing.DUPLICATE_CHOICES,
    )
    content, name = file.read(), file.name or ""
    rows = importing.estimated_rows(content, name)
    if not importing.in_background(rows):
        return api_import(
            importing,
            "hazards.import",
            request.user,
            content,
            name,
            commit=commit,
            on_duplicate=on_duplicate,
            choices=importing.DUPLICATE_CHOICES,
        )
    batch = batches.upload(
        ImportKind.HAZARDS, by=request.user, filename=name, content=content, rows=rows
    )
    job = importing.submit_batch(
        batch,
        by=request.user,
        step="commit" if commit else "check",
        on_duplicate=on_duplicate or None,
    )
    return Status(
        202,
        {
            "job": job.pk,
            "batch": batch.pk,
            "state": job.state,
            "job_url": f"/api/v1/jobs/{job.pk}",
            "report_url": f"/api/v1/hazards/import/{batch.pk}",
        },
    )


@router.get("/{batch_id}", response={200: HazardImportReportOut, **errors(401, 404)})
def import_report(request: AuthedRequest, batch_id: int) -> Any:
    """The report of an import run on the job queue (empty until its job has checked it)."""
    batch = batches.get_batch_for(request.user, batch_id, ImportKind.HAZARDS)
    if not batch.report:  # its job has not read the file yet
        return {
            **importing.Report(filename=batch.filename).as_dict(),
            "ok": False,
            "checked": False,
            "batch": batch.pk,
        }
    return {**batch.report, "checked": True, "batch": batch.pk}
