"""`manage.py send_digest [--date YYYY-MM-DD]`: the daily digest, safe to run again."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.notifications.digest import send_digest


class Command(BaseCommand):
    help = (
        "Send each enterprise user and officer the day's hazard digest (new, due soon, "
        "overdue, not accepted). Anyone who has had the day's digest is skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The day of the digest (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options["date"]:
            try:
                on = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date: give the day as YYYY-MM-DD.") from exc
        summary = send_digest(on)
        self.stdout.write(
            f"{summary.recipients} recipients: {summary.sent} sent, {summary.empty} with "
            f"nothing to report, {summary.already_done} had it already."
        )
