"""Exports of the hazard ledger: the zones' xlsx ledger, the national interface records, and
each enterprise's quarterly and annual statistics (16号令 第十四条) as xlsx and docx.

Builders read the database and return plain data; renderers turn that data into bytes and
touch nothing else (STYLE.md habit 13). The ledger and the national records stream: rows come
from `.values().iterator()` in chunks and go straight into a write-only workbook on a
temporary file, or out as JSON, so a zone-year (~19,000 rows) costs the memory of a chunk.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

import orjson
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from anjian.enterprises.models import Enterprise, Sector
from anjian.hazards import accident_types
from anjian.hazards.models import (
    DANGER_STATE,
    Finder,
    HazardQuerySet,
    HazardType,
    Level,
    ManagementClass,
    RectifyType,
    Source,
    Status,
    overdue,
)
from anjian.lib.xlsx import header_cells, text_cell, write_workbook

# Rows fetched per database round trip: big enough to keep trips few, small enough that a
# chunk's dicts are a rounding error next to the workbook.
CHUNK = 1000
LEDGER_ORDER = ("-found_on", "-id")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Labels:
    """Chinese labels of every code the exports print, read once before streaming starts.

    The exports are the zone's paperwork and are written in Chinese whatever the reader's
    language (as the registry export is). Reading them once also keeps translation.override
    out of the generators, where it would leak into the caller between yields.
    """

    level: dict[str, str]
    source: dict[str, str]
    rectify_type: dict[str, str]
    hazard_type: dict[str, str]
    management_class: dict[str, str]
    finder: dict[str, str]
    status: dict[str, str]
    sector: dict[str, str]

    @classmethod
    def zh(cls) -> Labels:
        with translation.override("zh-hans"):
            return cls(
                *(
                    {value: str(label) for value, label in choices.choices}
                    for choices in (
                        Level,
                        Source,
                        RectifyType,
                        HazardType,
                        ManagementClass,
                        Finder,
                        Status,
                        Sector,
                    )
                )
            )


def person(r: dict[str, Any], prefix: str) -> str:
    """A user's name from a `.values()` row: the full name, else the login name, else the
    name an imported ledger gave (a person with no account here)."""
    return r[f"{prefix}__display_name"] or r[f"{prefix}__username"] or r.get(f"{prefix}_name") or ""


def local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Local wall-clock time without a zone: Excel has no time zones, and openpyxl refuses
    aware datetimes."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def is_overdue(r: dict[str, Any], today: datetime.date) -> bool:
    return overdue(r["status"], r["deadline"], today)


# --- the ledger (隐患排查治理台账) -------------------------------------------------------------

LEDGER_VALUES = (
    "id", "enterprise__name", "enterprise__uscc", "enterprise__sector", "grid__name",
    "office__name", "village__name", "found_on", "found_by__display_name",
    "found_by__username", "found_by_name", "finder", "source", "location", "name", "description", "reason",
    "hazard_type", "management_class", "accident_type", "basis", "level", "rectify_type",
    "liable_person", "deadline", "measures", "funds", "rectified_on",
    "acceptor__display_name", "acceptor__username", "acceptor_name", "accepted_at",
    "accept_comment", "status", "rejections", "extensions", "production_suspended",
)  # fmt: skip

Getter = Callable[[dict[str, Any], Labels, datetime.date], Any]


def _overdue_days(r: dict[str, Any], today: datetime.date) -> int | None:
    return (today - r["deadline"]).days if is_overdue(r, today) else None


def accident_label(code: str) -> str:
    """ "WSA10009 火灾": the code and its name, as both editions read."""
    return f"{code} {accident_types.NAMES[code]}" if code in accident_types.NAMES else code


# (header as zones write it, column width, value): FIELD-NOTES.md §4.4's consolidated set.
LEDGER_COLUMNS: list[tuple[str, int, Getter]] = [
    ("编号", 9, lambda r, lb, t: r["id"]),
    ("企业名称", 28, lambda r, lb, t: r["enterprise__name"]),
    ("统一社会信用代码", 21, lambda r, lb, t: r["enterprise__uscc"]),
    ("网格", 14, lambda r, lb, t: r["grid__name"]),
    ("属地（办事处/村）", 20, lambda r, lb, t: f"{r['office__name']}/{r['village__name']}"),
    ("行业领域", 10, lambda r, lb, t: lb.sector.get(r["enterprise__sector"], "")),
    ("发现时间", 11, lambda r, lb, t: r["found_on"]),
    ("发现人", 10, lambda r, lb, t: person(r, "found_by")),
    ("发现类型", 12, lambda r, lb, t: lb.finder.get(r["finder"], "")),
    ("隐患来源", 14, lambda r, lb, t: lb.source.get(r["source"], "")),
    ("隐患位置", 16, lambda r, lb, t: r["location"]),
    ("隐患名称", 28, lambda r, lb, t: r["name"]),
    ("隐患描述", 30, lambda r, lb, t: r["description"]),
    ("原因分析", 20, lambda r, lb, t: r["reason"]),
    ("隐患类型", 9, lambda r, lb, t: lb.hazard_type.get(r["hazard_type"], "")),
    ("人物管理分类", 14, lambda r, lb, t: lb.management_class.get(r["management_class"], "")),
    ("事故类型（GB 6441）", 16, lambda r, lb, t: accident_label(r["accident_type"])),
    ("判定依据", 24, lambda r, lb, t: r["basis"]),
    ("隐患等级", 9, lambda r, lb, t: lb.level.get(r["level"], "")),
    ("治理类型", 10, lambda r, lb, t: lb.rectify_type.get(r["rectify_type"], "")),
    ("整改责任人", 10, lambda r, lb, t: r["liable_person"]),
    ("整改期限", 11, lambda r, lb, t: r["deadline"]),
    ("整改措施", 30, lambda r, lb, t: r["measures"]),
    ("整改资金（元）", 12, lambda r, lb, t: r["funds"]),
    ("实际完成时间", 11, lambda r, lb, t: r["rectified_on"]),
    ("验收人", 10, lambda r, lb, t: person(r, "acceptor")),
    ("验收时间", 17, lambda r, lb, t: local(r["accepted_at"])),
    ("验收意见", 24, lambda r, lb, t: r["accept_comment"]),
    ("状态", 12, lambda r, lb, t: lb.status.get(r["status"], "")),
    ("是否逾期", 8, lambda r, lb, t: "是" if is_overdue(r, t) else "否"),
    ("逾期天数", 8, lambda r, lb, t: _overdue_days(r, t)),
    ("驳回次数", 8, lambda r, lb, t: r["rejections"]),
    ("延期次数", 8, lambda r, lb, t: r["extensions"]),
    ("停产停业", 8, lambda r, lb, t: "是" if r["production_suspended"] else ""),
]
LEDGER_HEADERS = [h for h, _w, _v in LEDGER_COLUMNS]
LEDGER_SHEET = "隐患排查治理台账"


def ledger_rows(qs: HazardQuerySet, today: datetime.date) -> Iterator[list[Any]]:
    """The ledger's rows in the ledger's order, one query, read a chunk at a time."""
    labels = Labels.zh()
    rows = qs.order_by(*LEDGER_ORDER).values(*LEDGER_VALUES)
    for r in rows.iterator(chunk_size=CHUNK):
        yield [value(r, labels, today) for _h, _w, value in LEDGER_COLUMNS]


def write_ledger_xlsx(rows: Iterable[list[Any]], out: IO[bytes]) -> None:
    """Write the ledger workbook to `out` (a temporary file keeps memory flat)."""
    widths = [w for _h, w, _v in LEDGER_COLUMNS]
    write_workbook(out, [(LEDGER_SHEET, LEDGER_HEADERS, rows, widths)])


def render_ledger_xlsx(rows: Iterable[list[Any]]) -> bytes:
    buffer = io.BytesIO()
    write_ledger_xlsx(rows, buffer)
    return buffer.getvalue()


# --- national interface records (FIELD-NOTES.md §4.2) --------------------------------------

NATIONAL_VALUES = (
    "id", "enterprise__name", "enterprise__uscc", "name", "description", "reason", "level",
    "source", "rectify_type", "hazard_type", "management_class", "measures", "funds",
    "liable_person", "deadline", "acceptor__display_name", "acceptor__username",
    "acceptor_name", "accepted_at", "accept_comment", "status", "created_at",
    "found_by__display_name", "found_by__username", "found_by_name",
)  # fmt: skip

# Interface fields anjian holds no source for. They are sent as null so a receiving platform
# sees the full shape; inventing values for them would be worse than leaving them empty.
NATIONAL_NULL_FIELDS = (
    "companyCode",  # the hazardous-chemicals registration platform's 9-digit code
    "hazardCode",  # 风险分析对象编码: dual-prevention risk objects are not modelled yet
    "riskMeasureId",  # 管控措施 ID: idem
    "checkRecordId",  # 隐患排查记录 ID of a dual-prevention check task: idem
    "hazardCategory",  # registered by which 包保责任人 role: not recorded
    "occurrenceLink",  # 发生环节: not recorded
    "enforcementId",  # 执法编号: enforcement cases are not linked yet
    "attachments1",  # before photo as base64: photos are served by the API, not inlined
    "attachments2",  # after photo: idem
    "attachments3",  # other files: idem
)


def _moment(moment: datetime.datetime | None) -> str | None:
    """The interface's time format: local wall-clock time, "YYYY-MM-DD HH:MM:SS"."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else None


def national_record(r: dict[str, Any]) -> dict[str, Any]:
    """One hazard in the national interface's field names and codes (codes as strings, as
    the interface's dictionaries list them). `id`, `companyName` and `creditCode` are
    anjian's additions so a receiver can match the hazard and the enterprise."""
    funds = r["funds"]
    return {
        "id": r["id"],
        "companyName": r["enterprise__name"],
        "creditCode": r["enterprise__uscc"] or None,
        **dict.fromkeys(NATIONAL_NULL_FIELDS[:4]),
        "dangerName": r["name"],
        "dangerDesc": r["description"] or None,
        "dangerReason": r["reason"] or None,
        "dangerLevel": r["level"],
        "dangerSrc": r["source"],
        "dangerManageType": r["rectify_type"],
        "hazardDangerType": r["hazard_type"],
        "managementClassification": r["management_class"] or None,
        "controlMeasures": r["measures"] or None,
        "cost": float(funds) if funds is not None else None,
        "liablePerson": r["liable_person"] or None,
        "dangerManageDeadline": r["deadline"].isoformat() if r["deadline"] else None,
        "checkAcceptPerson": person(r, "acceptor") or None,
        "checkAcceptTime": _moment(r["accepted_at"]),
        "checkAcceptComment": r["accept_comment"] or None,
        "dangerState": str(DANGER_STATE.get(Status(r["status"]), 0)),
        "registTime": _moment(r["created_at"]),
        "registrant": person(r, "found_by") or None,
        # A voided hazard was never one: the interface's soft delete.
        "deleted": "1" if r["status"] == Status.VOID else "0",
        **dict.fromkeys(NATIONAL_NULL_FIELDS[4:]),
    }


def national_records(qs: HazardQuerySet) -> Iterator[dict[str, Any]]:
    rows = qs.order_by(*LEDGER_ORDER).values(*NATIONAL_VALUES)
    for r in rows.iterator(chunk_size=CHUNK):
        yield national_record(r)


def json_array_chunks(records: Iterable[dict[str, Any]], per_chunk: int = 200) -> Iterator[bytes]:
    """A JSON array, written a few hundred records at a time."""
    yield b"["
    batch: list[bytes] = []
    first = True
    for record in records:
        batch.append(orjson.dumps(record))
        if len(batch) == per_chunk:
            yield (b"" if first else b",") + b",".join(batch)
            batch, first = [], False
    if batch:
        yield (b"" if first else b",") + b",".join(batch)
    yield b"]"


def json_lines_chunks(records: Iterable[dict[str, Any]], per_chunk: int = 200) -> Iterator[bytes]:
    """One JSON object per line (JSON Lines), a few hundred lines at a time."""
    batch: list[bytes] = []
    for record in records:
        batch.append(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
        if len(batch) == per_chunk:
            yield b"".join(batch)
            batch = []
    if batch:
        yield b"".join(batch)


# --- quarterly and annual statistics (16号令 第十四条; RULES.md N1, N2) ------------------------

DUE_SOURCE = (
    "《安全生产事故隐患排查治理暂行规定》（国家安全生产监督管理总局令第16号）第十四条："
    "季度统计分析表于下一季度15日前、年度统计分析表于下一年1月31日前报送"
)
QUARTER_NAMES = "一二三四"


class PeriodError(ValueError):
    """A period that is not written as 2026Q3 or 2026."""


@dataclass(frozen=True)
class Period:
    """A statistics period: one quarter (2026Q3) or one year (2026)."""

    year: int
    quarter: int | None = None

    @classmethod
    def parse(cls, text: str) -> Period:
        match = re.fullmatch(r"(\d{4})(?:Q([1-4]))?", (text or "").strip().upper())
        if match is None:
            raise PeriodError(_("Write the period as a quarter (2026Q3) or a year (2026)."))
        year, quarter = match.groups()
        last = timezone.localdate().year
        if not 1900 <= int(year) <= last:
            # Year 0 or 9999 would fail to make dates: a period is one that has begun.
            raise PeriodError(_("Give a year from 1900 to %(last)d.") % {"last": last})
        return cls(int(year), int(quarter) if quarter else None)

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * (self.quarter or 1) - 2, 1)

    @property
    def end(self) -> datetime.date:
        if self.quarter is None or self.quarter == 4:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 3 * self.quarter + 1, 1) - datetime.timedelta(days=1)

    @property
    def due(self) -> datetime.date:
        """Quarterly: the 15th of the next quarter's first month; annual: 31 January (N1, N2)."""
        if self.quarter is None:
            return datetime.date(self.year + 1, 1, 31)
        return self.end + datetime.timedelta(days=15)

    @property
    def label(self) -> str:
        if self.quarter is None:
            return f"{self.year}年度"
        return f"{self.year}年第{QUARTER_NAMES[self.quarter - 1]}季度"


@dataclass
class Tally:
    """Hazards found in the period, and of them those rectified (closed) by its end."""

    found: int = 0
    rectified: int = 0

    def add(self, rectified: bool) -> None:
        self.found += 1
        self.rectified += int(rectified)

    @property
    def outstanding(self) -> int:
        return self.found - self.rectified

    @property
    def rate(self) -> str:
        """Rectification rate as people write it ("87.5%"), "—" when nothing was found."""
        return f"{100 * self.rectified / self.found:.1f}%" if self.found else "—"


@dataclass(frozen=True)
class MajorRow:
    name: str
    found_on: datetime.date
    status: str
    deadline: datetime.date | None
    closed_on: datetime.date | None
    liable_person: str
    production_suspended: bool


@dataclass
class Statistics:
    """One enterprise's 隐患排查治理统计分析表 for one period: the figures of 16号令 第十四条.

    Counts are of the hazards found in the period (void ones left out), each judged as it
    stood on `as_of`: the period's last day, or today while the period is running.
    """

    enterprise: str
    uscc: str
    principal: str
    area: str
    period: Period
    as_of: datetime.date
    generated_on: datetime.date
    general: Tally = field(default_factory=Tally)
    major: Tally = field(default_factory=Tally)
    overdue: int = 0
    funds_rectified: Decimal = Decimal("0")
    funds_total: Decimal = Decimal("0")
    by_source: dict[str, Tally] = field(default_factory=dict)
    by_type: dict[str, Tally] = field(default_factory=dict)
    majors: list[MajorRow] = field(default_factory=list)

    @property
    def total(self) -> Tally:
        return Tally(
            self.general.found + self.major.found, self.general.rectified + self.major.rectified
        )


STATISTICS_VALUES = (
    "name", "level", "source", "hazard_type", "status", "found_on", "deadline", "closed_at",
    "funds", "liable_person", "production_suspended",
)  # fmt: skip


def build_statistics(
    enterprise: Enterprise, hazards: HazardQuerySet, period: Period, today: datetime.date
) -> Statistics:
    """The statistics of `enterprise` for `period`; `hazards` is the caller's scoped ledger.

    One query: the hazards found in the period, and the major hazards found before it that
    were still open when it began (16号令 wants each major hazard followed to its write-off).
    """
    as_of = min(period.end, today)
    period_start = _start_of_day(period.start)
    rows = list(
        hazards.filter(enterprise=enterprise)
        .exclude(status=Status.VOID)
        .filter(
            Q(found_on__range=(period.start, as_of))
            | (
                Q(level=Level.MAJOR, found_on__lt=period.start)
                & (Q(closed_at__isnull=True) | Q(closed_at__gte=period_start))
            )
        )
        .order_by("found_on", "id")
        .values(*STATISTICS_VALUES)
    )
    stats = Statistics(
        enterprise=enterprise.name,
        uscc=enterprise.uscc,
        principal=enterprise.principal,
        area=f"{enterprise.office.name}/{enterprise.village.name}/{enterprise.grid.name}",
        period=period,
        as_of=as_of,
        generated_on=today,
    )
    summarise(stats, rows, Labels.zh())
    return stats


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def summarise(stats: Statistics, rows: list[dict[str, Any]], labels: Labels) -> None:
    """Fill the tallies from `.values()` rows (pure: no database)."""
    for r in rows:
        closed_on = timezone.localdate(r["closed_at"]) if r["closed_at"] else None
        rectified = closed_on is not None and closed_on <= stats.as_of
        if r["level"] == Level.MAJOR:
            stats.majors.append(
                MajorRow(
                    name=r["name"],
                    found_on=r["found_on"],
                    status=labels.status.get(r["status"], r["status"]),
                    deadline=r["deadline"],
                    closed_on=closed_on,
                    liable_person=r["liable_person"],
                    production_suspended=r["production_suspended"],
                )
            )
        if r["found_on"] < stats.period.start:
            continue  # a major hazard carried over: listed, not counted again
        (stats.major if r["level"] == Level.MAJOR else stats.general).add(rectified)
        source = labels.source.get(r["source"], r["source"])
        stats.by_source.setdefault(source, Tally()).add(rectified)
        kind = labels.hazard_type.get(r["hazard_type"], r["hazard_type"])
        stats.by_type.setdefault(kind, Tally()).add(rectified)
        if not rectified and r["deadline"] and r["deadline"] < stats.as_of:
            stats.overdue += 1
        funds = r["funds"] or Decimal("0")
        stats.funds_total += funds
        if rectified:
            stats.funds_rectified += funds


def statistics_title(data: Statistics) -> str:
    return f"生产经营单位事故隐患排查治理统计分析表（{data.period.label}）"


def statistics_sections(data: Statistics) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The form's tables as (heading, column headers, rows): one layout for xlsx and docx."""
    tally_headers = ["排查发现（项）", "已整改（项）", "未整改（项）", "整改率"]

    def tally_row(name: str, t: Tally) -> list[Any]:
        return [name, t.found, t.rectified, t.outstanding, t.rate]

    summary = [
        tally_row("一般事故隐患", data.general),
        tally_row("重大事故隐患", data.major),
        tally_row("合计", data.total),
    ]
    money: list[list[Any]] = [
        ["逾期未整改隐患（项）", data.overdue],
        ["已整改隐患投入整改资金（元）", f"{data.funds_rectified:.2f}"],
        ["本期隐患计划整改资金合计（元）", f"{data.funds_total:.2f}"],
    ]
    majors = [
        [
            m.name,
            _day(m.found_on),
            m.status,
            _day(m.deadline),
            _day(m.closed_on),
            m.liable_person,
            "是" if m.production_suspended else "否",
        ]
        for m in data.majors
    ]
    return [
        ("一、隐患排查治理情况", ["隐患等级", *tally_headers], summary),
        ("二、逾期与资金", ["项目", "数值"], money),
        (
            "三、按隐患来源统计",
            ["隐患来源", *tally_headers],
            [tally_row(k, t) for k, t in data.by_source.items()],
        ),
        (
            "四、按隐患类型统计",
            ["隐患类型", *tally_headers],
            [tally_row(k, t) for k, t in data.by_type.items()],
        ),
        (
            "五、重大事故隐患及治理状态",
            ["隐患名称", "发现时间", "治理状态", "治理期限", "销号时间", "责任人", "停产停业"],
            majors,
        ),
    ]


def statistics_heading_lines(data: Statistics) -> list[str]:
    return [
        f"单位名称：{data.enterprise}",
        f"统一社会信用代码：{data.uscc or '—'}",
        f"属地：{data.area}",
        f"统计期间：{_day(data.period.start)} 至 {_day(data.period.end)}"
        f"（数据截至 {_day(data.as_of)}）",
        f"报送期限：{data.period.due.year}年{data.period.due.month}月{data.period.due.day}日前",
        f"依据：{DUE_SOURCE}",
    ]


def statistics_signature_lines(data: Statistics) -> list[str]:
    return [
        f"主要负责人：{data.principal or '________'}    签字：________________    "
        "日期：______年____月____日",
        f"填表日期：{_day(data.generated_on)}    填表人：________________    联系电话：________________",
    ]


def _day(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def render_statistics_xlsx(data: Statistics) -> bytes:
    """The statistics form as one sheet: title, heading lines, the tables, the signature."""
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet(title="隐患排查治理统计分析表")
    for letter, width in zip("ABCDEFG", (30, 14, 16, 14, 14, 12, 10), strict=True):
        sheet.column_dimensions[letter].width = width

    def bold(text: str, size: int = 11) -> WriteOnlyCell:
        cell = text_cell(sheet, text)
        cell.font = Font(bold=True, size=size)
        return cell

    sheet.append([bold(statistics_title(data), 14)])
    for line in statistics_heading_lines(data):
        sheet.append([text_cell(sheet, line)])
    for heading, headers, rows in statistics_sections(data):
        sheet.append([])
        sheet.append([bold(heading)])
        sheet.append(header_cells(sheet, headers))
        for row in rows or [["无"]]:
            sheet.append([text_cell(sheet, v) for v in row])
    sheet.append([])
    for line in statistics_signature_lines(data):
        sheet.append([text_cell(sheet, line)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def render_statistics_docx(data: Statistics) -> bytes:
    """The statistics form as a Word document the principal prints, signs and submits."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "SimSun"  # type: ignore[attr-defined]
    normal.font.size = Pt(10.5)  # type: ignore[attr-defined]
    # Word takes Chinese text's font from the East Asian slot, which python-docx leaves unset.
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")  # type: ignore[attr-defined]

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(statistics_title(data))
    run.bold, run.font.size = True, Pt(16)
    for line in statistics_heading_lines(data):
        doc.add_paragraph(line)
    for heading, headers, rows in statistics_sections(data):
        doc.add_paragraph().add_run(heading).bold = True
        table = doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = text
            for p in cell.paragraphs:
                for r in p.runs:
                    r.bold = True
        for row in rows or [["无"] + [""] * (len(headers) - 1)]:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = str(value)
    doc.add_paragraph()
    for line in statistics_signature_lines(data):
        doc.add_paragraph(line)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
