from typing import Any

from anjian.enterprises import importing
from anjian.imports.commands import ImportCommand


class Command(ImportCommand):
    help = "Check (default) or import (--commit) an enterprise registry file, as a given user."
    importer = importing
    what = "enterprises"
    duplicate_choices = ("update", "skip")

    def print_report(self, report: Any) -> None:
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
