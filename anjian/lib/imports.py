"""What every file import shares (the registry, the hazard ledger): the report's common part,
the refusal, the API's answer and the management command's frame."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from ninja import Schema, Status

from anjian.accounts.models import User
from anjian.accounts.permissions import can
from anjian.audit.log import channel
from anjian.audit.models import Channel
from anjian.lib.api import InputError
from anjian.lib.errors import NotAllowed


@dataclass
class RowError:
    row: int
    column: str  # as the file names it
    message: str


@dataclass
class BaseReport:
    """What an import found (preview) or did (commit); each import adds its own counts."""

    filename: str
    header_row: int = 0
    rows: int = 0
    new: int = 0
    errors: list[RowError] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)
    file_error: str = ""
    committed: bool = False
    created: int = 0
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


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


class ImportRejected(Exception):
    """Commit refused: the report says why; nothing was written."""

    def __init__(self, report: Any, reason: str) -> None:
        super().__init__(reason)
        self.report = report
        self.reason = reason


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


class ImportCommand(BaseCommand):
    """`manage.py import_… FILE --user NAME [--commit] [--on-duplicate …]`: check a file, or
    import it, as a given user (whose scope applies); subclasses print their report."""

    importer: ModuleType
    what = "files"
    duplicate_choices: tuple[str, ...] = ()

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", required=True, help="username whose scope applies")
        parser.add_argument("--commit", action="store_true", help="write; default is a preview")
        parser.add_argument(
            "--on-duplicate",
            choices=self.duplicate_choices,
            help="what to do with rows matching records already there",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        user = User.objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"no user {opts['user']!r}")
        path: Path = opts["path"]
        if not path.is_file():
            raise CommandError(f"no file {path}")
        content = path.read_bytes()
        with channel(Channel.COMMAND):
            try:
                report = (
                    self.importer.commit(
                        content, path.name, by=user, on_duplicate=opts["on_duplicate"]
                    )
                    if opts["commit"]
                    else self.importer.preview(content, path.name, by=user)
                )
            except ImportRejected as exc:
                self.print_report(exc.report)
                raise CommandError(exc.reason) from exc
            except NotAllowed as exc:
                raise CommandError(f"{user.username} may not import {self.what}") from exc
        self.print_report(report)

    def print_report(self, report: Any) -> None:
        raise NotImplementedError
