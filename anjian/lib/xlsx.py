"""Writing xlsx files people open in Excel or WPS, streaming and without live formulas."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from anjian.lib.tabular import FORMULA_PREFIXES

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def text_cell(sheet: WriteOnlyWorksheet, value: Any) -> WriteOnlyCell:
    """A cell whose text is never taken for a formula, even when it starts with '='."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value[:1] in FORMULA_PREFIXES:
        cell.data_type = "s"
    return cell


def safe_row(sheet: WriteOnlyWorksheet, row: Iterable[Any]) -> list[Any]:
    """The row's values, with only the formula-looking texts wrapped as text cells.

    Plain values go in as they are: openpyxl turns a cell passed as a value into a
    ValueError it catches, which made wrapping every value ~3× slower on a big export.
    Control characters are dropped from texts.
    """
    return [_safe_value(sheet, v) if isinstance(v, str) else v for v in row]


def _safe_value(sheet: WriteOnlyWorksheet, text: str) -> Any:
    # Control characters (pasted from other programs) are not allowed in the file's XML:
    # openpyxl would refuse the whole export for one of them.
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text_cell(sheet, text) if text[:1] in FORMULA_PREFIXES else text


def header_cells(sheet: WriteOnlyWorksheet, headers: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=h)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cells.append(cell)
    return cells


Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]], Sequence[int]]


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    """sheets: (title, headers, rows, column widths). Rows are consumed as a stream."""
    buffer = io.BytesIO()
    write_workbook(buffer, sheets)
    return buffer.getvalue()


def write_workbook(out: IO[bytes], sheets: Iterable[Sheet]) -> None:
    """Write the workbook to a file: with a temporary file as `out`, a workbook of any number
    of rows is built in constant memory (openpyxl's write-only sheets spool to disk too)."""
    wb = Workbook(write_only=True)
    for title, headers, rows, widths in sheets:
        sheet = wb.create_sheet(title=title[:31])
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[_column_letter(i)].width = width
        sheet.freeze_panes = "A2"
        sheet.append(header_cells(sheet, headers))
        for row in rows:
            sheet.append(safe_row(sheet, row))
    wb.save(out)


def _column_letter(i: int) -> str:
    return get_column_letter(i)
