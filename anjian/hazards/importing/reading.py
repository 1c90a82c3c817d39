"""Reading a hazard ledger file as a stream, a chunk of rows at a time: enterprises are
looked up and the ledger searched for duplicates once per chunk, so memory holds a chunk of
rows rather than the file."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.hazards.importing.rows import (
    Duplicate,
    Lookups,
    ParsedRow,
    Report,
    RowParser,
    normalized,
    similar,
)
from anjian.hazards.importing.vocabulary import ALIASES, HEADERS
from anjian.hazards.models import Hazard, Status
from anjian.imports.reports import RowError
from anjian.lib import tabular, uscc

CHUNK = 1000


class Reader:
    """Reads the file a chunk at a time and checks each row: errors and duplicates go into
    the report, good rows come out in chunks ready to write."""

    def __init__(
        self, table: tabular.Table, report: Report, by: User, stash: tabular.Stash | None = None
    ) -> None:
        self.table = table
        self.stash = stash
        self.report = report
        self.lookups = Lookups(by)
        self.today = timezone.localdate()
        self.parser = RowParser(self.lookups, table.headers, self.today)
        self.window = settings.HAZARD_IMPORT_DUPLICATE_DAYS
        self.ratio = settings.HAZARD_IMPORT_DUPLICATE_RATIO
        # For duplicates inside the file: per enterprise, (day, compared text, row) of the
        # rows read so far — a few dozen bytes a row, not the rows themselves.
        self.seen: dict[int, list[tuple[int, str, int]]] = {}
        # The ledger as it was when the import began: what a commit writes is not compared
        # with itself a second time.
        self.last_id = Hazard.objects.aggregate(m=Max("id"))["m"] or 0

    def chunks(self) -> Iterator[list[ParsedRow]]:
        batch: list[tuple[int, dict[str, str]]] = []
        for row_no, raw in self.table.rows:
            batch.append((row_no, raw))
            if self.stash is not None:
                self.stash.add(row_no, raw)
            if len(batch) == CHUNK:
                yield self.check(batch)
                batch = []
        if batch:
            yield self.check(batch)

    def check(self, batch: list[tuple[int, dict[str, str]]]) -> list[ParsedRow]:
        report = self.report
        self.lookups.load(
            {c for _r, raw in batch if (c := uscc.normalize(raw.get("uscc", "")))},
            {n for _r, raw in batch if (n := raw.get("enterprise", "").strip())},
        )
        parsed: list[ParsedRow] = []
        for row_no, raw in batch:
            report.rows += 1
            errors: list[tuple[str, str]] = []
            self.parser.match = ""
            place, data = self.parser.parse(raw, errors)
            if errors:
                for column, message in errors:
                    report.errors.append(RowError(row_no, self.parser.header(column), message))
                report.unmatched += self.parser.match == "unmatched"
                report.ambiguous += self.parser.match == "ambiguous"
                continue
            assert place is not None
            data["status"] = data.pop("status_override", data["status"])
            compare = normalized(data["description"] or data["name"])
            parsed.append(ParsedRow(row_no, place, data, compare))
        self.duplicates(parsed)
        for row in parsed:
            status = row.hazard["status"]
            report.by_status[status] = report.by_status.get(status, 0) + 1
        return parsed

    def duplicates(self, parsed: list[ParsedRow]) -> None:
        """Flag rows like a hazard in the ledger or on an earlier row: same enterprise, found
        within the window, descriptions alike. Only same-enterprise, same-window pairs are
        compared, so the cost follows the number of near neighbours, not the file."""
        if not parsed:
            return
        window = datetime.timedelta(days=self.window)
        days = [r.hazard["found_on"] for r in parsed]
        existing: dict[int, list[tuple[datetime.date, str, int]]] = {}
        rows = (
            Hazard.objects.filter(
                enterprise_id__in={r.place.id for r in parsed},
                found_on__range=(min(days) - window, max(days) + window),
                id__lte=self.last_id,
            )
            .exclude(status=Status.VOID)
            .values_list("enterprise_id", "found_on", "name", "description", "id")
        )
        for enterprise_id, found_on, name, description, pk in rows:
            existing.setdefault(enterprise_id, []).append(
                (found_on, normalized(description or name), pk)
            )
        for row in parsed:
            self.flag(row, existing.get(row.place.id, []), window)

    def flag(
        self, row: ParsedRow, existing: list[tuple[datetime.date, str, int]], window: Any
    ) -> None:
        found_on: datetime.date = row.hazard["found_on"]
        day = found_on.toordinal()
        for other_day, text, pk in existing:
            if abs(other_day - found_on) <= window and similar(row.compare, text, self.ratio):
                row.duplicate = True
                self.report.duplicates.append(
                    self._duplicate(row, existing_id=pk, existing_found_on=other_day.isoformat())
                )
                break
        seen = self.seen.setdefault(row.place.id, [])
        if not row.duplicate:
            for other_day_no, text, other_row in seen:
                if abs(other_day_no - day) <= self.window and similar(
                    row.compare, text, self.ratio
                ):
                    row.duplicate = True
                    self.report.duplicates.append(self._duplicate(row, other_row=other_row))
                    break
        seen.append((day, row.compare[:120], row.row))

    def _duplicate(self, row: ParsedRow, **where: Any) -> Duplicate:
        return Duplicate(
            row=row.row,
            enterprise=row.place.name,
            description=(row.hazard["description"] or row.hazard["name"])[:80],
            found_on=row.hazard["found_on"].isoformat(),
            **where,
        )


def open_file(content: bytes, filename: str, report: Report) -> tabular.Table | None:
    """The file's table, or None with the reason in the report. `content` is the uploaded
    file, or the rows its preview kept (tabular.Stash)."""
    if tabular.is_stash(content):
        table = tabular.read_stash(content)
        report.header_row, report.unknown_headers = table.header_row, table.unknown_headers
        return table
    try:
        table = tabular.read_table(
            content,
            filename,
            ALIASES,
            required=["found_on"],
            max_bytes=settings.IMPORT_MAX_BYTES,
        )
    except tabular.FileRejected as exc:
        report.file_error = str(exc)
        return None
    present = set(table.headers)
    missing = [
        " / ".join(HEADERS[c] for c in group)
        for group in (("enterprise", "uscc"), ("description", "name"))
        if not present & set(group)
    ]
    if missing:
        report.file_error = _(
            "No header row was found in the first %(n)d rows. It must name at least: %(cols)s."
        ) % {"n": tabular.HEADER_SCAN_ROWS, "cols": "、".join(missing)}
        return None
    report.header_row, report.unknown_headers = table.header_row, table.unknown_headers
    return table
