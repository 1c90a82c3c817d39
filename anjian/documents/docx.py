"""Word documents in the official fonts, built paragraph by paragraph (pure: text in, bytes
out). Documents print the official Chinese form whatever the reader's interface language."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.run import Run

CENTER, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT


def set_font(run: Run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word picks the font of Chinese characters from w:eastAsia, not from w:ascii.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


class DocxWriter:
    """One document: paragraphs and tables, `font` and `size` unless a call says otherwise
    (仿宋 14 pt is the body of official documents; titles are 宋体, table headings 黑体)."""

    def __init__(self, *, font: str = "仿宋", size: float = 14) -> None:
        self.doc = Document()
        self.font, self.size = font, size

    def para(
        self,
        text: str,
        *,
        align: WD_ALIGN_PARAGRAPH | None = None,
        size: float | None = None,
        bold: bool = False,
        font: str | None = None,
        indent: bool = False,
    ) -> None:
        """A paragraph; `indent`: the first line indented two characters."""
        size = size or self.size
        p = self.doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        set_font(p.add_run(text), font or self.font, size, bold)

    def table(
        self,
        headings: Sequence[str],
        rows: Iterable[Sequence[object]],
        *,
        size: float = 12,
        heading_font: str = "黑体",
        centered: bool = True,
    ) -> None:
        """A table with a bold heading row and a grid."""
        table = self.doc.add_table(rows=1, cols=len(headings))
        table.style = "Table Grid"
        if centered:
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, headings, strict=True):
            set_font(cell.paragraphs[0].add_run(text), heading_font, size, bold=True)
        for values in rows:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                set_font(cell.paragraphs[0].add_run(str(value)), self.font, size)

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()
