"""/api/v1/hazards/import: check a hazard ledger file, or import it all or nothing."""

from __future__ import annotations

from typing import Any

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from anjian.accounts.permissions import can
from anjian.accounts.typing import AuthedRequest
from anjian.hazards import importing
from anjian.lib.api import InputError, errors
from anjian.lib.errors import NotAllowed

router = Router(tags=["hazards"])


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class DuplicateOut(Schema):
    row: int
    enterprise: str
    description: str
    found_on: str
    other_row: int | None
    existing_id: int | None
    existing_found_on: str


class HazardImportOut(Schema):
    filename: str
    ok: bool
    committed: bool
    header_row: int
    rows: int
    new: int
    errors: list[RowErrorOut]
    duplicates: list[DuplicateOut]
    unknown_headers: list[str]
    file_error: str
    unmatched: int
    ambiguous: int
    by_status: dict[str, int]
    created: int
    skipped: int
    batch: int | None


class HazardImportRejectedOut(Schema):
    detail: str
    errors: list[dict[str, str]]
    report: HazardImportOut


@router.post("", response={200: HazardImportOut, 422: HazardImportRejectedOut, **errors(401, 403)})
def import_ledger(
    request: AuthedRequest,
    file: File[UploadedFile],
    commit: Form[bool] = False,
    on_duplicate: Form[str | None] = None,
) -> Any:
    """Check a hazard ledger (`commit=false`, the default) or import it all-or-nothing.

    With `commit=true`, any bad row, or rows that look like recorded hazards without
    `on_duplicate` = `skip` | `keep`, refuses the whole file with 422 and the report.
    """
    if not can(request.user, "hazards.import"):
        raise NotAllowed("hazards.import")
    content, name = file.read(), file.name or ""
    if not commit:
        return importing.preview(content, name, by=request.user).as_dict()
    if on_duplicate not in (None, "", "skip", "keep"):
        raise InputError([{"field": "on_duplicate", "message": "use skip or keep"}])
    try:
        report = importing.commit(content, name, by=request.user, on_duplicate=on_duplicate or None)
    except importing.ImportRejected as exc:
        field = "on_duplicate" if exc.report.ok else "file"
        return Status(
            422,
            {
                "detail": exc.reason,
                "errors": [{"field": field, "message": exc.reason}],
                "report": exc.report.as_dict(),
            },
        )
    return report.as_dict()
