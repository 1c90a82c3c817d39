from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.accounts.models import User
from anjian.audit.log import channel
from anjian.audit.models import Channel
from anjian.enterprises import importing


class Command(BaseCommand):
    help = "Check (default) or import (--commit) an enterprise registry file, as a given user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", required=True, help="username whose scope applies")
        parser.add_argument("--commit", action="store_true", help="write; default is a preview")
        parser.add_argument("--on-duplicate", choices=["update", "skip"])

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
                    importing.commit(content, path.name, by=user, on_duplicate=opts["on_duplicate"])
                    if opts["commit"]
                    else importing.preview(content, path.name, by=user)
                )
            except importing.ImportRejected as exc:
                self._print(exc.report)
                raise CommandError(exc.reason) from exc
            except importing.NotAllowed as exc:
                raise CommandError(f"{user.username} may not import enterprises") from exc
        self._print(report)

    def _print(self, report: importing.Report) -> None:
        if report.file_error:
            self.stderr.write(report.file_error)
        self.stdout.write(
            f"rows {report.rows}, new {report.new}, "
            f"already registered {len(report.duplicates)}, errors {len(report.errors)}"
        )
        for e in report.errors:
            self.stdout.write(f"  row {e.row} [{e.column}] {e.message}")
        if report.committed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"imported: {report.created} new, {report.updated} updated, {report.skipped} skipped"
                )
            )
