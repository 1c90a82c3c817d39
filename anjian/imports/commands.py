"""The management commands' frame: `manage.py import_… FILE --user NAME [--commit]`."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.accounts.models import User
from anjian.audit.log import channel
from anjian.audit.models import Channel
from anjian.imports.reports import ImportRejected
from anjian.lib.errors import NotAllowed


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
