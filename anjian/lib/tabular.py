"""Reading spreadsheets people send: xlsx and CSV (UTF-8, UTF-8 with BOM, GBK).

Finds the header row instead of assuming it (title rows above it are common, and so is a row
of merged group headings above the headers, as in 整改情况 over 整改措施 / 整改期限), refuses
header cells merged across columns, and reports every problem as a sentence a person can act on.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

import orjson
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904 as _EPOCH_1904
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900 as _EPOCH_1900
from openpyxl.utils.datetime import from_excel

HEADER_SCAN_ROWS = 10
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # an OLE2 directory entry's name
# Texts Excel and WPS would take for a formula (or a DDE payload) when typed: lib.xlsx writes
# them as text cells.
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
    estimated_rows: int = 0  # how many rows, near enough for a progress bar and for background


def normalize_header(text: Any) -> str:
    """Header text as compared: no spaces, no brackets' contents' spacing, no asterisks."""
    s = re.sub(r"[\s*＊:：]", "", str(text or ""))
    return s.replace("（", "(").replace("）", ")").lower()


_NOTE = re.compile(r"\([^()]*\)$")


def _canonical(header: Any, index: dict[str, str]) -> str:
    """The column a header names: as written, else without a note in brackets at its end
    (隐患等级（一般/重大）, 发现时间（年月日）), as templates add them."""
    text = normalize_header(header)
    return index.get(text) or index.get(_NOTE.sub("", text), "") if text else ""


def build_alias_index(aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, names in aliases.items():
        for name in (canonical, *names):
            index[normalize_header(name)] = canonical
    return index


def cell_text(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, Formula):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        # A spreadsheet date is a datetime at midnight: the day alone. Any other time of day,
        # the first hour after midnight included, is kept to the second it says.
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
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
    if content[:4] == b"\xd0\xcf\x11\xe0" and _ENCRYPTED_PACKAGE in content:
        # Excel and WPS wrap a password-protected .xlsx in the same OLE2 container as an old
        # .xls; the encrypted workbook is its "EncryptedPackage" stream.
        raise FileRejected(
            _(
                "The workbook is protected by a password. Open it in Excel or WPS, remove the "
                "password, save it and retry."
            )
        )
    if name.endswith(".xls") or content[:4] == b"\xd0\xcf\x11\xe0":  # OLE2: an old .xls
        raise FileRejected(_("Old .xls files are not supported: save the file as .xlsx and retry."))
    if name.endswith(".xlsx"):
        if content[:4] != b"PK\x03\x04":
            raise FileRejected(_("The file is not a readable .xlsx workbook."))
        book = _workbook(content)
        raw_rows, merged, estimate = book.rows(), book.merges, book.estimated_rows
    elif name.endswith(".csv"):
        raw_rows, merged, estimate = _csv_rows(content), [], content.count(b"\n")
    else:
        raise FileRejected(_("Only .xlsx and .csv files can be imported."))
    # The estimate counts the rows above the data too (a title, the header).
    if estimate > settings.IMPORT_MAX_ROWS + HEADER_SCAN_ROWS:
        raise _too_many_rows()
    index = build_alias_index(aliases)
    # Columns are named in messages by their first alias (the header people see), not the code.
    titles = {canonical: next(iter(names), canonical) for canonical, names in aliases.items()}
    table = _locate_header(raw_rows, merged, index, required, titles)
    table.estimated_rows = estimate
    if name.endswith(".xlsx"):
        _only_one_ledger_sheet(book, index, required, titles)
    return table


def _only_one_ledger_sheet(
    book: _Workbook, index: dict[str, str], required: Sequence[str], titles: Mapping[str, str]
) -> None:
    """Only the first sheet is read: a workbook whose later sheets hold rows under a header
    row of their own (a sheet a month, a sheet a year) is refused rather than cut short.
    Sheets without such a header (说明, a list for drop-downs) do not count."""
    others = []
    for sheet_name, path in book.sheets[1:]:
        try:
            _locate_header(book.rows(path), [], index, required, titles)
        except FileRejected:
            continue
        others.append(sheet_name)
    if others:
        raise FileRejected(
            _(
                "Only the first sheet of a workbook is read, but the sheets %(sheets)s have rows "
                "under a header row too. Save each sheet as a file of its own and import them "
                "one by one."
            )
            % {"sheets": "、".join(f"“{n}”" for n in others)}
        )


def _locate_header(
    raw_rows: Iterator[tuple[int, list[Any]]],
    merges: list[Merge],
    index: dict[str, str],
    required: Sequence[str],
    titles: Mapping[str, str],
) -> Table:
    scanned: list[tuple[int, list[Any]]] = []
    # (row number, rows consumed, column -> canonical, unknown headers, header texts)
    best: tuple[int, int, dict[int, str], list[str], list[Any]] | None = None
    merged_rows = {r for _c1, r1, _c2, r2 in merges for r in range(r1, r2 + 1)}
    for row_no, values in raw_rows:
        candidates = [values]
        if scanned and scanned[-1][0] == row_no - 1 and row_no - 1 in merged_rows:
            # A two-row header: a cell merged down from the row above (企业名称 over both
            # rows) keeps its text in the upper row, so the lower row's blanks take it.
            above = scanned[-1][1]
            width = max(len(above), len(values))
            candidates.append(
                [
                    values[i]
                    if i < len(values) and values[i] not in (None, "")
                    else (above[i] if i < len(above) else None)
                    for i in range(width)
                ]
            )
        scanned.append((row_no, values))
        for header in candidates:
            columns = {i: name for i, v in enumerate(header) if (name := _canonical(v, index))}
            if columns and (best is None or len(columns) > len(best[2])):
                unknown = [
                    str(v) for i, v in enumerate(header) if v not in (None, "") and i not in columns
                ]
                best = (row_no, len(scanned), columns, unknown, header)
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
    header_row, consumed, columns, unknown, header_values = best
    # A header cell merged across columns leaves every column but the first without a name.
    if any(c2 > c1 and r1 <= header_row <= r2 for c1, r1, c2, r2 in merges):
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

    # A cell merged down over the rows below it (one enterprise, one inspection day, several
    # hazards) holds its value in its top row only; the value belongs to every row it covers.
    # Only a range's first column is filled: across columns, the value means one column.
    fills = MergeFills.below(merges, header_row)
    tops: dict[tuple[int, int], Any] = {}

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        # Chained, not listed: the rest of the file is read as it is consumed. A file whose
        # size did not tell its rows (a sheet without its dimension) is stopped at the limit.
        last = header_row + settings.IMPORT_MAX_ROWS
        for row_no, values in itertools.chain(scanned[consumed:], raw_rows):
            if row_no > last:
                raise _too_many_rows()
            if fills.starts or fills.covered:
                values = _fill_merged(row_no, values, fills, tops)
            record = {
                name: cell_text(values[i]) if i < len(values) else "" for i, name in columns.items()
            }
            if any(record.values()):
                yield row_no, record

    headers = {name: str(header_values[i]).strip() for i, name in columns.items()}
    return Table(
        columns=columns,
        header_row=header_row,
        rows=rows(),
        unknown_headers=unknown,
        headers=headers,
    )


def _fill_merged(
    row_no: int, values: list[Any], fills: MergeFills, tops: dict[tuple[int, int], Any]
) -> list[Any]:
    """The row with the cells a merged range covers given the range's value."""
    for col in fills.starts.pop(row_no, ()):
        tops[(row_no, col)] = values[col] if col < len(values) else None
    covered = fills.covered.pop(row_no, ())
    if covered:
        values = list(values)
        for col, top_row in covered:
            if col >= len(values):
                values.extend([None] * (col + 1 - len(values)))
            values[col] = tops.get((top_row, col))
    return values


@dataclass
class MergeFills:
    """Where merged ranges below the header take their value: their top rows' columns, and
    the cells they cover (row -> [(column, top row)]), each dropped once its row is read."""

    starts: dict[int, list[int]]
    covered: dict[int, list[tuple[int, int]]]

    @classmethod
    def below(cls, merges: list[Merge], header_row: int) -> MergeFills:
        fills = cls({}, {})
        for c1, r1, _c2, r2 in merges:
            if r1 > header_row and r2 > r1:
                fills.starts.setdefault(r1, []).append(c1 - 1)
                for r in range(r1 + 1, r2 + 1):
                    fills.covered.setdefault(r, []).append((c1 - 1, r1))
        return fills


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


class Formula(str):
    """A cell that holds a formula ("=SUM(A1:A3)"), as distinct from text that starts with "="."""


def _too_many_rows() -> FileRejected:
    return FileRejected(
        _("The file has more than %(n)d rows, the most one import takes. Split it.")
        % {"n": settings.IMPORT_MAX_ROWS}
    )


def _workbook(content: bytes) -> _Workbook:
    try:
        return _Workbook(content)
    except FileRejected:
        raise
    except Exception as exc:  # zipfile and expat raise many types for a damaged file
        raise FileRejected(_("The file is not a readable .xlsx workbook.")) from exc


Merge = tuple[int, int, int, int]  # min column, min row, max column, max row (1-based)
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>]")
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+\d+:[A-Z]+\d+)"')


class _Workbook:
    """The first sheet of an xlsx file, streamed with expat.

    openpyxl's read-only mode took ~7 s for a 20,000-row ledger on our machines; expat walks
    the same sheet in ~1.5 s. The reader gives what an import needs and no more: values
    (shared and inline strings, numbers, booleans, dates by their number format), formulas as
    `Formula`, and the merged ranges.
    """

    def __init__(self, content: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(content))
        # What the parts unpack to, as the package declares it: zipfile never reads a part
        # past its declared size (a part that lies fails its check), so the sum bounds what
        # reading the file can cost.
        unpacked = sum(info.file_size for info in self.zip.infolist())
        if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
            raise FileRejected(
                _(
                    "The workbook unpacks to %(size).0f MB; the limit is %(limit).0f MB. "
                    "Split it into smaller files."
                )
                % {"size": unpacked / 1e6, "limit": settings.IMPORT_MAX_UNPACKED_BYTES / 1e6}
            )
        names = set(self.zip.namelist())
        self.sheet = self._first_sheet(names)
        self.strings = self._shared_strings() if "xl/sharedStrings.xml" in names else []
        self.date_styles, self.epoch_1904 = self._date_styles(names)
        self.merges = self._merges()
        with self.zip.open(self.sheet) as stream:
            head = stream.read(1 << 16)
        dimension = re.search(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', head[:4096])
        self.estimated_rows = int(dimension.group(1)) if dimension else self._rows_by_size(head)

    def _rows_by_size(self, head: bytes) -> int:
        """Without a <dimension> (openpyxl's write-only sheets, anjian's own exports, have
        none): the rows in the sheet's first block, scaled to the size of the whole sheet."""
        size = self.zip.getinfo(self.sheet).file_size
        start = max(head.find(b"sheetData"), 0)
        rows = len(_ROW_TAG.findall(head, start))
        if not rows or len(head) >= size:
            return rows
        return round(rows * (size - start) / (len(head) - start))

    def _first_sheet(self, names: set[str]) -> str:
        workbook = self.zip.read("xl/workbook.xml").decode("utf-8", "replace")
        self.workbook_xml = workbook
        rels = ""
        if "xl/_rels/workbook.xml.rels" in names:
            rels = self.zip.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
        targets = {}
        for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
            rel_id = re.search(r'\bId="([^"]+)"', rel.group(0))
            target = re.search(r'Target="([^"]+)"', rel.group(0))
            if rel_id and target:
                path = target.group(1).lstrip("/")
                targets[rel_id.group(1)] = path if path.startswith("xl/") else f"xl/{path}"
        # Every sheet, in the order of the workbook's tabs: (its name, its part).
        self.sheets: list[tuple[str, str]] = []
        for tag in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", workbook):
            rel_id = re.search(r'\br:id="([^"]+)"', tag.group(0))
            sheet_name = re.search(r'\bname="([^"]*)"', tag.group(0))
            path = targets.get(rel_id.group(1), "") if rel_id else ""
            if path in names:
                self.sheets.append((html.unescape(sheet_name.group(1)) if sheet_name else "", path))
        if self.sheets:
            return self.sheets[0][1]
        if "xl/worksheets/sheet1.xml" in names:
            return "xl/worksheets/sheet1.xml"
        raise ValueError("no worksheet")

    def _parse(self, name: str, start: Any, end: Any, chars: Any = None) -> None:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler, parser.EndElementHandler = start, end
        if chars is not None:
            parser.CharacterDataHandler = chars
        with self.zip.open(name) as stream:
            parser.ParseFile(stream)

    def _shared_strings(self) -> list[str]:
        strings: list[str] = []
        parts: list[str] = []
        state = {"si": False, "t": False, "rph": False}

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = tag.rsplit(" ", 1)[-1]
            if local == "si":
                state["si"] = True
                parts.clear()
            elif local == "t":
                state["t"] = True
            elif local == "rPh":  # phonetic guides are not the cell's text
                state["rph"] = True

        def end(tag: str) -> None:
            local = tag.rsplit(" ", 1)[-1]
            if local == "si":
                strings.append("".join(parts))
                state["si"] = False
            elif local == "t":
                state["t"] = False
            elif local == "rPh":
                state["rph"] = False

        def chars(data: str) -> None:
            if state["t"] and not state["rph"]:
                parts.append(data)

        self._parse("xl/sharedStrings.xml", start, end, chars)
        return strings

    def _date_styles(self, names: set[str]) -> tuple[set[int], bool]:
        epoch_1904 = bool(re.search(r'date1904="(1|true)"', self.workbook_xml))
        if "xl/styles.xml" not in names:
            return set(), epoch_1904
        custom: dict[int, str] = {}
        formats: list[int] = []
        state = {"xfs": False}

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = tag.rsplit(" ", 1)[-1]
            if local == "numFmt":
                custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
            elif local == "cellXfs":
                state["xfs"] = True
            elif local == "xf" and state["xfs"]:
                formats.append(int(attrs.get("numFmtId", "0")))

        def end(tag: str) -> None:
            if tag.endswith("cellXfs"):
                state["xfs"] = False

        self._parse("xl/styles.xml", start, end)
        dates = set()
        for index, fmt_id in enumerate(formats):
            code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "")
            if code and is_date_format(code):
                dates.add(index)
        return dates, epoch_1904

    def _merges(self) -> list[Merge]:
        # Merged ranges are written after the rows: scan for them a block at a time, so
        # memory stays flat however long the sheet is.
        marker, tail = b"mergeCells", b""
        found: list[bytes] = []
        with self.zip.open(self.sheet) as stream:
            while block := stream.read(1 << 20):
                if found:
                    found.append(block)
                    continue
                window = tail + block
                at = window.find(marker)
                if at != -1:
                    found.append(window[at:])
                tail = window[-len(marker) :]
        refs = _MERGE_REF.findall(b"".join(found))
        return [range_boundaries(ref.decode()) for ref in refs]  # type: ignore[misc]

    def rows(self, sheet: str = "") -> Iterator[tuple[int, list[Any]]]:
        """(row number, values by column) for each row that has cells, in order."""
        walk = _SheetWalk(self)
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = walk.start
        parser.EndElementHandler = walk.end
        parser.CharacterDataHandler = walk.chars
        with self.zip.open(sheet or self.sheet) as stream:
            while block := stream.read(1 << 16):
                self._parse_block(parser, block, False)
                yield from walk.done
                walk.done.clear()
        self._parse_block(parser, b"", True)
        yield from walk.done

    @staticmethod
    def _parse_block(parser: Any, block: bytes, final: bool) -> None:
        try:
            parser.Parse(block, final)
        # A damaged sheet: broken XML, a number that is not one, a shared string that is not
        # there. The handlers' own errors come out of Parse too.
        except (expat.ExpatError, ValueError, IndexError) as exc:
            raise FileRejected(_("The file is not a readable .xlsx workbook.")) from exc


class _SheetWalk:
    """expat handlers that collect a sheet's rows; kept lean, as they run for every cell."""

    def __init__(self, book: _Workbook) -> None:
        self.book = book
        self.done: list[tuple[int, list[Any]]] = []
        self.row_no = 0
        self.values: list[Any] = []
        self.col = -1
        self.kind = "n"
        self.style: str | None = None
        self.text: list[str] = []
        self.reading = False
        self.phonetic = False
        self.value: str | None = None
        self.inline: str | None = None
        self.formula: str | None = None
        self.columns: dict[str, int] = {}
        self.dates: dict[str, Any] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if ":" in tag:
            tag = tag.rpartition(":")[2]
        if tag == "c":
            ref = attrs.get("r")
            self.col = self._column(ref) if ref else self.col + 1
            self.kind, self.style = attrs.get("t", "n"), attrs.get("s")
            self.value = self.inline = self.formula = None
        elif tag == "v" or tag == "t" or tag == "f":
            self.reading = True
            self.text = []
        elif tag == "row":
            self.row_no = int(attrs.get("r") or self.row_no + 1)
            self.values, self.col = [], -1
        elif tag == "rPh":
            self.phonetic = True

    def end(self, tag: str) -> None:
        if ":" in tag:
            tag = tag.rpartition(":")[2]
        if tag == "c":
            values, col = self.values, self.col
            if col >= len(values):
                values.extend([None] * (col + 1 - len(values)))
            if self.kind == "inlineStr" and self.formula is None:
                values[col] = self.inline or ""
            else:
                values[col] = self._cell_value()
        elif tag == "v":
            self.value, self.reading = "".join(self.text), False
        elif tag == "t":
            if not self.phonetic:
                text = "".join(self.text)
                self.inline = text if self.inline is None else self.inline + text
            self.reading = False
        elif tag == "f":
            self.formula, self.reading = "".join(self.text), False
        elif tag == "row":
            self.done.append((self.row_no, self.values))
        elif tag == "rPh":
            self.phonetic = False

    def chars(self, data: str) -> None:
        if self.reading:
            self.text.append(data)

    def _column(self, ref: str) -> int:
        letters = ref.rstrip("0123456789")
        col = self.columns.get(letters)
        if col is None:
            col = self.columns[letters] = column_index_from_string(letters) - 1
        return col

    def _cell_value(self) -> Any:
        if self.formula is not None:
            return Formula("=" + self.formula)
        kind = self.kind
        if kind == "inlineStr":
            return self.inline or ""
        raw = self.value
        if raw is None:
            return None
        if kind == "s":
            return self.book.strings[int(raw)]
        if kind == "str" or kind == "e":
            return raw
        if kind == "b":
            return raw == "1"
        if kind == "d":  # a date written as ISO 8601 text (t="d"), as some programs save them
            return datetime.datetime.fromisoformat(raw.removesuffix("Z"))
        number = float(raw)
        if self.style is not None and int(self.style) in self.book.date_styles:
            # Ledgers repeat their dates: convert each serial number once.
            moment = self.dates.get(raw)
            if moment is None:
                epoch = _EPOCH_1904 if self.book.epoch_1904 else _EPOCH_1900
                moment = self.dates[raw] = from_excel(number, epoch=epoch)
            return moment
        return int(number) if number.is_integer() else number


def is_formula(text: str) -> bool:
    """A formula cell of an xlsx file, or text typed as one (the registry refuses both)."""
    return isinstance(text, Formula) or (text.startswith("=") and len(text) > 1)


# --- the rows of a checked file, kept between a preview and its commit ---------------------

STASH_MAGIC = b"anjian-rows-1\n"


class Stash:
    """The rows of a table as read (row number, {column: text}), compressed as they come.

    A preview keeps this instead of the uploaded file, so that the commit does not parse the
    spreadsheet a second time (reading the XML was half of a large import's time). It costs
    about a tenth of the file, built a row at a time.
    """

    def __init__(self, table: Table) -> None:
        self.compressor = zlib.compressobj(1)
        head = {
            "header_row": table.header_row,
            "headers": table.headers,
            "unknown_headers": table.unknown_headers,
            "estimated_rows": table.estimated_rows,
        }
        self.parts = [STASH_MAGIC, self.compressor.compress(orjson.dumps(head) + b"\n")]

    def add(self, row_no: int, record: dict[str, str]) -> None:
        line = orjson.dumps([row_no, record]) + b"\n"
        self.parts.append(self.compressor.compress(line))

    def finish(self) -> bytes:
        self.parts.append(self.compressor.flush())
        return b"".join(self.parts)


def is_stash(content: bytes) -> bool:
    return content.startswith(STASH_MAGIC)


def read_stash(content: bytes) -> Table:
    """The table a Stash kept, its rows read back as a stream."""
    lines = _stash_lines(content)
    head = orjson.loads(next(lines))

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for line in lines:
            row_no, record = orjson.loads(line)
            yield row_no, record

    return Table(
        columns={},
        header_row=head["header_row"],
        rows=rows(),
        unknown_headers=head["unknown_headers"],
        headers=head["headers"],
        estimated_rows=head["estimated_rows"],
    )


def _stash_lines(content: bytes) -> Iterator[bytes]:
    decompressor = zlib.decompressobj()
    view = memoryview(content)[len(STASH_MAGIC) :]
    pending = b""
    for start in range(0, len(view), 1 << 16):
        pending += decompressor.decompress(view[start : start + (1 << 16)])
        *complete, pending = pending.split(b"\n")
        yield from complete
    pending += decompressor.flush()
    yield from (line for line in pending.split(b"\n") if line)
