"""What the import endpoints share: who may import, the answer's common shape, and the
check-or-commit body with its 422."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from ninja import Schema, Status

from anjian.accounts.models import User
from anjian.accounts.permissions import can
from anjian.imports.reports import ImportRejected
from anjian.lib.api import InputError
from anjian.lib.errors import NotAllowed


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class ReportOut(Schema):
    """The API's shape of BaseReport; each import's schema adds its own fields."""

    filename: str
    ok: bool
    committed: bool
    header_row: int
    rows: int
    new: int
    errors: list[RowErrorOut]
    unknown_headers: list[str]
    file_error: str
    created: int
    skipped: int


def check_import_request(
    user: User,
    capability: str,
    *,
    commit: bool,
    on_duplicate: str | None,
    choices: tuple[str, ...],
) -> None:
    """Who may import, and the duplicate choice of a commit: refused before the file is read."""
    if not can(user, capability):
        raise NotAllowed(capability)
    if commit and on_duplicate not in (None, "", *choices):
        raise InputError([{"field": "on_duplicate", "message": f"use {' or '.join(choices)}"}])


def api_import(
    importer: ModuleType,
    capability: str,
    user: User,
    content: bytes,
    name: str,
    *,
    commit: bool,
    on_duplicate: str | None,
    choices: tuple[str, ...],
) -> Any:
    """The import endpoints' body: check, or commit all-or-nothing with 422 and the report
    when refused. `importer` has preview(content, name, by) and commit(..., on_duplicate)."""
    check_import_request(
        user, capability, commit=commit, on_duplicate=on_duplicate, choices=choices
    )
    if not commit:
        return importer.preview(content, name, by=user).as_dict()
    try:
        report = importer.commit(content, name, by=user, on_duplicate=on_duplicate or None)
    except ImportRejected as exc:
        field_name = "on_duplicate" if exc.report.ok else "file"
        return Status(
            422,
            {
                "detail": exc.reason,
                "errors": [{"field": field_name, "message": exc.reason}],
                "report": exc.report.as_dict(),
            },
        )
    return report.as_dict()
