"""PDF documents with a Chinese font embedded (pure: text in, bytes out). The font is a
subset of the characters used, so the file reads the same on a machine without Chinese
fonts, and nothing is fetched on an isolated network."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace


class FontMissing(RuntimeError):
    """No font with Chinese glyphs is installed for PDFs."""


def cjk_font() -> tuple[str, int]:
    """The first configured CJK font file that exists (settings.PDF_CJK_FONTS)."""
    for path, index in settings.PDF_CJK_FONTS:
        if path and Path(path).is_file():
            return path, index
    raise FontMissing(
        "No font for Chinese text: install Debian's fonts-noto-cjk or set PDF_CJK_FONT."
    )


class PdfWriter:
    """One A4 document, written top to bottom in the configured Chinese font."""

    def __init__(self) -> None:
        path, index = cjk_font()
        self.pdf = FPDF(format="A4")
        self.pdf.set_margins(25, 25, 25)
        self.pdf.set_auto_page_break(True, margin=20)
        self.pdf.add_font("cjk", "", path, collection_font_number=index)
        self.pdf.add_page()

    def para(self, text: str, *, size: float = 14, align: str = "J", gap: float = 2) -> None:
        """A paragraph wrapped at any character (Chinese has no spaces to break at)."""
        self.pdf.set_font("cjk", size=size)
        self.pdf.multi_cell(self.pdf.epw, size * 0.55, text, align=align, wrapmode=WrapMode.CHAR)
        self.pdf.ln(gap)

    def table(
        self,
        rows: Sequence[Sequence[str]],
        *,
        col_widths: Sequence[float],
        text_align: Sequence[str],
        size: float = 11,
    ) -> None:
        """A table whose first row is its headings."""
        self.pdf.set_font("cjk", size=size)
        with self.pdf.table(
            col_widths=tuple(col_widths),
            headings_style=FontFace(emphasis=""),
            wrapmode=WrapMode.CHAR,
            text_align=tuple(text_align),
            line_height=6,
            padding=1.5,
        ) as table:
            for values in rows:
                row = table.row()
                for text in values:
                    row.cell(text)

    def space(self, mm: float) -> None:
        self.pdf.ln(mm)

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())
