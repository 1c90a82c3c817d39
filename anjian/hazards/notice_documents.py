"""A notice as a document: pure renderers, NoticeData in, bytes out.

The text is the official Chinese form whatever the reader's interface language: the
document is served on the enterprise and filed as it is.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_PARAGRAPH_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.run import Run
from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace

from anjian.hazards.models import NoticeType
from anjian.hazards.notices import NoticeData, chinese_date

HEADINGS = ("序号", "隐患", "部位", "判定依据", "整改期限")


class FontMissing(RuntimeError):
    """No font with Chinese glyphs is installed for PDFs."""


def _intro(data: NoticeData) -> str:
    if data.inspected_on:
        return f"{chinese_date(data.inspected_on)}，经检查，你单位存在下列事故隐患："
    return "经查，你单位存在下列事故隐患："


def _rows(data: NoticeData) -> list[tuple[str, ...]]:
    return [
        (str(i), h.name, h.location or "—", h.basis or "—", chinese_date(h.deadline) or "—")
        for i, h in enumerate(data.hazards, 1)
    ]


def _signature_lines(data: NoticeData) -> list[str]:
    who = (
        f"执法人员（签名）：{data.issuer}　　证号：{data.certificate_no}"
        if data.type == NoticeType.ORDER
        else f"经办人：{data.issuer}"
    )
    received = (
        f"被检查单位负责人（签收）：{data.received_by}　　{chinese_date(data.served_on)}"
        if data.received_by
        else "被检查单位负责人（签收）：　　　　　　　　年　　月　　日"
    )
    return [who, received]


def _enterprise_line(data: NoticeData) -> str:
    parts = [
        f"统一社会信用代码：{data.uscc}" if data.uscc else "",
        f"地址：{data.address}" if data.address else "",
    ]
    return "　".join(p for p in parts if p)


def _closing(data: NoticeData) -> list[str]:
    return [f"{data.authority}（印章）", chinese_date(data.issued_on)]


def _copies(data: NoticeData) -> str:
    return f"本文书一式两份：一份由{data.authority}存档，一份交被检查单位。"


# --- .docx ---------------------------------------------------------------------------------


def _font(run: Run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word picks the font of Chinese characters from w:eastAsia, not from w:ascii.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def render_notice_docx(data: NoticeData) -> bytes:
    doc = Document()

    def para(
        text: str,
        *,
        align: WD_PARAGRAPH_ALIGNMENT | None = None,
        size: float = 14,
        bold: bool = False,
        font: str = "仿宋",
        indent: bool = False,
    ) -> None:
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        _font(p.add_run(text), font, size, bold)

    para(data.authority, align=WD_ALIGN_PARAGRAPH.CENTER, size=16, bold=True, font="宋体")
    para(data.title, align=WD_ALIGN_PARAGRAPH.CENTER, size=22, bold=True, font="宋体")
    para(data.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(f"{data.enterprise}：")
    if line := _enterprise_line(data):
        para(line, size=12)
    para(_intro(data), indent=True)
    table = doc.add_table(rows=1, cols=len(HEADINGS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, HEADINGS, strict=True):
        _font(cell.paragraphs[0].add_run(text), "黑体", 12, bold=True)
    for values in _rows(data):
        for cell, text in zip(table.add_row().cells, values, strict=True):
            _font(cell.paragraphs[0].add_run(text), "仿宋", 12)
    para(data.legal_basis, indent=True)
    if data.requirements:
        para(f"整改要求：{data.requirements}", indent=True)
    if data.remedy:
        para(data.remedy, indent=True)
    for line in _signature_lines(data):
        para(line)
    for line in _closing(data):
        para(line, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(_copies(data), size=10.5)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- .pdf ----------------------------------------------------------------------------------


def cjk_font() -> tuple[str, int]:
    """The first configured CJK font file that exists (settings.PDF_CJK_FONTS)."""
    for path, index in settings.PDF_CJK_FONTS:
        if path and Path(path).is_file():
            return path, index
    raise FontMissing(
        "No font for Chinese text: install Debian's fonts-noto-cjk or set PDF_CJK_FONT."
    )


def render_notice_pdf(data: NoticeData) -> bytes:
    path, index = cjk_font()
    pdf = FPDF(format="A4")
    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(True, margin=20)
    # The font is embedded as a subset of the characters used: the file reads the same on a
    # machine without Chinese fonts (and on an isolated network, nothing is fetched).
    pdf.add_font("cjk", "", path, collection_font_number=index)
    pdf.add_page()
    width = pdf.epw

    def para(text: str, *, size: float = 14, align: str = "J", gap: float = 2) -> None:
        pdf.set_font("cjk", size=size)
        pdf.multi_cell(width, size * 0.55, text, align=align, wrapmode=WrapMode.CHAR)
        pdf.ln(gap)

    para(data.authority, size=16, align="C")
    para(data.title, size=22, align="C", gap=4)
    para(data.number, align="C", gap=6)
    para(f"{data.enterprise}：")
    if line := _enterprise_line(data):
        para(line, size=12)
    para("　　" + _intro(data))
    pdf.set_font("cjk", size=11)
    with pdf.table(
        col_widths=(12, 52, 24, 40, 32),
        headings_style=FontFace(emphasis=""),
        wrapmode=WrapMode.CHAR,
        text_align=("CENTER", "LEFT", "LEFT", "LEFT", "CENTER"),
        line_height=6,
        padding=1.5,
    ) as table:
        for values in [HEADINGS, *_rows(data)]:
            row = table.row()
            for text in values:
                row.cell(text)
    pdf.ln(4)
    para("　　" + data.legal_basis)
    if data.requirements:
        para("　　整改要求：" + data.requirements)
    if data.remedy:
        para("　　" + data.remedy)
    pdf.ln(4)
    for line in _signature_lines(data):
        para(line)
    pdf.ln(4)
    for line in _closing(data):
        para(line, align="R")
    para(_copies(data), size=10.5)
    return bytes(pdf.output())
