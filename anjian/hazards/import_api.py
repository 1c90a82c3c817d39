"""/api/v1/hazards/import: check a hazard ledger file, or import it all or nothing."""

from __future__ import annotations

from typing import Any

from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from anjian.accounts.typing import AuthedRequest
from anjian.hazards import importing
from anjian.lib.api import errors
from anjian.lib.imports import ReportOut, api_import

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
    return api_import(
        importing,
        "hazards.import",
        request.user,
        file.read(),
        file.name or "",
        commit=commit,
        on_duplicate=on_duplicate,
        choices=("skip", "keep"),
    )
