from typing import Any

from anjian.hazards import importing
from anjian.imports.commands import ImportCommand


class Command(ImportCommand):
    help = "Check (default) or import (--commit) a hazard ledger file, as a given user."
    importer = importing
    what = "hazards"
    duplicate_choices = importing.DUPLICATE_CHOICES

    def print_report(self, report: Any) -> None:
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
