"""A notice as a document: pure renderers, NoticeData in, bytes out, built from the
documents app's blocks (official fonts, 文号, 签收 block, closing, copies).

The text is the official Chinese form whatever the reader's interface language: the
document is served on the enterprise and filed as it is.
"""

from __future__ import annotations

from django.http import HttpResponse

from anjian.documents.docx import CENTER, RIGHT, DocxWriter
from anjian.documents.official import chinese_date, closing, copies_line, received_line
from anjian.documents.pdf import PdfWriter
from anjian.enforcement.models import Notice, NoticeType
from anjian.enforcement.notices import NoticeData, notice_data
from anjian.lib.http import DOCX, attachment

HEADINGS = ("序号", "隐患", "部位", "判定依据", "整改期限")


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
    return [who, received_line("被检查单位负责人", data.received_by, data.served_on)]


def _enterprise_line(data: NoticeData) -> str:
    parts = [
        f"统一社会信用代码：{data.uscc}" if data.uscc else "",
        f"地址：{data.address}" if data.address else "",
    ]
    return "　".join(p for p in parts if p)


def _body(data: NoticeData) -> list[str]:
    """The paragraphs after the table: the legal basis, requirements, the remedy."""
    lines = [data.legal_basis]
    if data.requirements:
        lines.append(f"整改要求：{data.requirements}")
    if data.remedy:
        lines.append(data.remedy)
    return lines


def render_notice_docx(data: NoticeData) -> bytes:
    doc = DocxWriter()
    doc.para(data.authority, align=CENTER, size=16, bold=True, font="宋体")
    doc.para(data.title, align=CENTER, size=22, bold=True, font="宋体")
    doc.para(data.number, align=CENTER)
    doc.para(f"{data.enterprise}：")
    if line := _enterprise_line(data):
        doc.para(line, size=12)
    doc.para(_intro(data), indent=True)
    doc.table(HEADINGS, _rows(data))
    for line in _body(data):
        doc.para(line, indent=True)
    for line in _signature_lines(data):
        doc.para(line)
    for line in closing(data.authority, data.issued_on):
        doc.para(line, align=RIGHT)
    doc.para(copies_line(data.authority), size=10.5)
    return doc.bytes()


def render_notice_pdf(data: NoticeData) -> bytes:
    pdf = PdfWriter()
    pdf.para(data.authority, size=16, align="C")
    pdf.para(data.title, size=22, align="C", gap=4)
    pdf.para(data.number, align="C", gap=6)
    pdf.para(f"{data.enterprise}：")
    if line := _enterprise_line(data):
        pdf.para(line, size=12)
    pdf.para("　　" + _intro(data))
    pdf.table(
        [HEADINGS, *_rows(data)],
        col_widths=(12, 52, 24, 40, 32),
        text_align=("CENTER", "LEFT", "LEFT", "LEFT", "CENTER"),
    )
    pdf.space(4)
    for line in _body(data):
        pdf.para("　　" + line)
    pdf.space(4)
    for line in _signature_lines(data):
        pdf.para(line)
    pdf.space(4)
    for line in closing(data.authority, data.issued_on):
        pdf.para(line, align="R")
    pdf.para(copies_line(data.authority), size=10.5)
    return pdf.bytes()


def document_response(notice: Notice, kind: str) -> HttpResponse:
    """The notice as a .docx or .pdf download, named by its number."""
    data = notice_data(notice)
    if kind == "docx":
        body, content_type = render_notice_docx(data), DOCX
    else:
        body, content_type = render_notice_pdf(data), "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    filename = f"{data.title}-{notice.number}.{kind}"
    response["Content-Disposition"] = attachment(filename)
    return response
