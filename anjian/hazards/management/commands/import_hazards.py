from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.accounts.models import User
from anjian.audit.log import channel
from anjian.audit.models import Channel
from anjian.hazards import importing


class Command(BaseCommand):
    help = "Check (default) or import (--commit) a hazard ledger file, as a given user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", required=True, help="username whose scope applies")
        parser.add_argument("--commit", action="store_true", help="write; default is a preview")
        parser.add_argument(
            "--on-duplicate",
            choices=["skip", "keep"],
            help="rows that look like hazards already recorded: skip or keep them",
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
                    importing.commit(content, path.name, by=user, on_duplicate=opts["on_duplicate"])
                    if opts["commit"]
                    else importing.preview(content, path.name, by=user)
                )
            except importing.ImportRejected as exc:
                self._print(exc.report)
                raise CommandError(exc.reason) from exc
            except importing.NotAllowed as exc:
                raise CommandError(f"{user.username} may not import hazards") from exc
        self._print(report)

    def _print(self, report: importing.Report) -> None:
        if report.file_error:
            self.stderr.write(report.file_error)
            return
        self.stdout.write(
            f"header row {report.header_row}, rows {report.rows}, "
            f"possible duplicates {len(report.duplicates)}, errors {len(report.errors)}, "
            f"enterprises not found {report.unmatched}, ambiguous names {report.ambiguous}"
        )
        if report.unknown_headers:
            self.stdout.write(f"columns not imported: {'、'.join(report.unknown_headers)}")
        for e in report.errors:
            self.stdout.write(f"  row {e.row} [{e.column}] {e.message}")
        for d in report.duplicates:
            like = f"hazard {d.existing_id}" if d.existing_id else f"row {d.other_row}"
            self.stdout.write(f"  row {d.row} looks like {like}: {d.enterprise} {d.description}")
        if report.committed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"imported: {report.created} hazards, {report.skipped} skipped "
                    f"(batch {report.batch})"
                )
            )
