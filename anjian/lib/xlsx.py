"""Writing xlsx files people open in Excel or WPS, streaming and without live formulas."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def text_cell(sheet: WriteOnlyWorksheet, value: Any) -> WriteOnlyCell:
    """A cell whose text is never taken for a formula, even when it starts with '='."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"
    return cell


def header_cells(sheet: WriteOnlyWorksheet, headers: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=h)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cells.append(cell)
    return cells


def workbook_bytes(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]], Sequence[int]]],
) -> bytes:
    """sheets: (title, headers, rows, column widths). Rows are consumed as a stream."""
    wb = Workbook(write_only=True)
    for title, headers, rows, widths in sheets:
        sheet = wb.create_sheet(title=title[:31])
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[_column_letter(i)].width = width
        sheet.freeze_panes = "A2"
        sheet.append(header_cells(sheet, headers))
        for row in rows:
            sheet.append([text_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _column_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)
