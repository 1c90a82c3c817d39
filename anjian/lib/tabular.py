"""Reading spreadsheets people send: xlsx and CSV (UTF-8, UTF-8 with BOM, GBK).

Finds the header row instead of assuming it (title rows above it are common), refuses merged
header cells, and reports every problem as a sentence a person can act on.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

HEADER_SCAN_ROWS = 10
FORMULA_PREFIXES = ("=", "+", "-", "@")


class FileRejected(ValueError):
    """The whole file cannot be read; nothing was imported."""


@dataclass
class Table:
    """Rows as {canonical column: raw text}, with 1-based row numbers as in the spreadsheet."""

    columns: dict[int, str]  # spreadsheet column index -> canonical name
    header_row: int
    rows: Iterator[tuple[int, dict[str, str]]]
    unknown_headers: list[str]
    headers: dict[str, str]  # canonical name -> the header as written in the file


def normalize_header(text: Any) -> str:
    """Header text as compared: no spaces, no brackets' contents' spacing, no asterisks."""
    s = re.sub(r"[\s*＊:：]", "", str(text or ""))
    return s.replace("（", "(").replace("）", ")").lower()


def build_alias_index(aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, names in aliases.items():
        for name in (canonical, *names):
            index[normalize_header(name)] = canonical
    return index


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    return str(value).strip()


def read_table(
    content: bytes,
    filename: str,
    aliases: Mapping[str, Sequence[str]],
    *,
    required: Sequence[str],
    max_bytes: int,
) -> Table:
    """Open an uploaded file and locate its header row. Raises FileRejected with the reason."""
    if not content:
        raise FileRejected(_("The file is empty."))
    if len(content) > max_bytes:
        raise FileRejected(
            _(
                "The file is %(size).1f MB; the limit is %(limit).1f MB. Split it into smaller files."
            )
            % {"size": len(content) / 1e6, "limit": max_bytes / 1e6}
        )
    name = filename.lower()
    if name.endswith(".xls") or content[:4] == b"\xd0\xcf\x11\xe0":  # OLE2: an old .xls
        raise FileRejected(_("Old .xls files are not supported: save the file as .xlsx and retry."))
    if name.endswith(".xlsx"):
        if content[:4] != b"PK\x03\x04":
            raise FileRejected(_("The file is not a readable .xlsx workbook."))
        raw_rows, merged = _xlsx_rows(content)
    elif name.endswith(".csv"):
        raw_rows, merged = _csv_rows(content), set()
    else:
        raise FileRejected(_("Only .xlsx and .csv files can be imported."))
    index = build_alias_index(aliases)
    # Columns are named in messages by their first alias (the header people see), not the code.
    titles = {canonical: next(iter(names), canonical) for canonical, names in aliases.items()}
    return _locate_header(raw_rows, merged, index, required, titles)


def _locate_header(
    raw_rows: Iterator[tuple[int, list[Any]]],
    merged: set[int],
    index: dict[str, str],
    required: Sequence[str],
    titles: Mapping[str, str],
) -> Table:
    scanned: list[tuple[int, list[Any]]] = []
    best: tuple[int, int, dict[int, str], list[str]] | None = None
    for row_no, values in raw_rows:
        scanned.append((row_no, values))
        columns = {
            i: index[normalize_header(v)]
            for i, v in enumerate(values)
            if normalize_header(v) in index
        }
        if columns and (best is None or len(columns) > len(best[2])):
            unknown = [
                str(v) for i, v in enumerate(values) if v not in (None, "") and i not in columns
            ]
            best = (row_no, len(scanned), columns, unknown)
        if len(scanned) >= HEADER_SCAN_ROWS:
            break
    if not scanned:
        raise FileRejected(_("The file has no rows."))
    if best is None or not set(required) <= set(best[2].values()):
        missing = sorted(set(required) - set(best[2].values() if best else ()))
        raise FileRejected(
            _("No header row was found in the first %(n)d rows. It must name at least: %(cols)s.")
            % {"n": HEADER_SCAN_ROWS, "cols": "、".join(titles[c] for c in missing or required)}
        )
    header_row, consumed, columns, unknown = best
    if header_row in merged:
        raise FileRejected(
            _(
                "Row %(row)d, the header row, has merged cells. Unmerge them so that every column "
                "has its own header."
            )
            % {"row": header_row}
        )
    dupes = [c for c in set(columns.values()) if list(columns.values()).count(c) > 1]
    if dupes:
        raise FileRejected(
            _("Two columns mean the same thing: %(cols)s. Keep one.")
            % {"cols": "、".join(titles[c] for c in sorted(dupes))}
        )

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for row_no, values in [*scanned[consumed:], *raw_rows]:
            record = {
                name: cell_text(values[i]) if i < len(values) else "" for i, name in columns.items()
            }
            if any(record.values()):
                yield row_no, record

    header_values = scanned[consumed - 1][1]
    headers = {name: str(header_values[i]).strip() for i, name in columns.items()}
    return Table(
        columns=columns,
        header_row=header_row,
        rows=rows(),
        unknown_headers=unknown,
        headers=headers,
    )


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\x00" in text:
        raise FileRejected(
            _("The text of the file cannot be read. Save it as CSV in UTF-8 (or GBK) and retry.")
        )
    reader = csv.reader(io.StringIO(text))
    return ((n, row) for n, row in enumerate(reader, start=1))


def _xlsx_rows(content: bytes) -> tuple[Iterator[tuple[int, list[Any]]], set[int]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise FileRejected(_("The file is not a readable .xlsx workbook.")) from exc
    sheet = workbook.worksheets[0]
    merged = _merged_rows(content, 0)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield n, list(values)
        workbook.close()

    return rows(), merged


def _merged_rows(content: bytes, sheet_index: int) -> set[int]:
    """Rows that hold a merged cell (read-only mode does not expose them, so read the XML)."""
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        names = sorted(n for n in zf.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n))
        if not names:
            return set()
        xml = zf.read(names[sheet_index]).decode("utf-8", "replace")
    start = xml.rfind("<mergeCells")
    rows: set[int] = set()
    if start == -1:
        return rows
    for ref in re.findall(r'<mergeCell ref="([A-Z]+\d+:[A-Z]+\d+)"', xml[start:]):
        _c1, r1, _c2, r2 = range_boundaries(ref)
        rows.update(range(r1, r2 + 1))  # type: ignore[arg-type]
    return rows


def is_formula(text: str) -> bool:
    return text.startswith("=") and len(text) > 1
