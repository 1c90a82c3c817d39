"""An enterprise's quarterly and annual hazard statistics (隐患排查治理统计分析表, 16号令
第十四条; RULES.md N1, N2): built from the ledger as plain data, rendered as xlsx and docx.

Builders read the database and return plain data; renderers turn that data into bytes and
touch nothing else (STYLE.md habit 13).
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from anjian.documents.docx import CENTER, DocxWriter
from anjian.enterprises.models import Enterprise
from anjian.hazards.exporting.labels import Labels
from anjian.hazards.models import HazardQuerySet, Level, Status
from anjian.lib import periods
from anjian.lib.periods import PeriodError as PeriodTextError
from anjian.lib.xlsx import header_cells, text_cell
from anjian.statistics.figures import Figure

DUE_SOURCE = (
    "《安全生产事故隐患排查治理暂行规定》（国家安全生产监督管理总局令第16号）第十四条："
    "季度统计分析表于下一季度15日前、年度统计分析表于下一年1月31日前报送"
)
QUARTER_NAMES = "一二三四"


class PeriodError(PeriodTextError):
    """A period that is not written as 2026Q3 or 2026."""


@dataclass(frozen=True)
class Period(periods.Period):
    """The period of a 16号令 statistics form: one quarter (2026Q3) or one year (2026) that
    has begun, with the day the form is due and the form's own name for it."""

    @classmethod
    def parse(cls, text: str, field: str = "period") -> Period:
        match = re.fullmatch(r"(\d{4})(?:Q([1-4]))?", (text or "").strip().upper())
        if match is None:
            raise PeriodError(_("Write the period as a quarter (2026Q3) or a year (2026)."), field)
        year, quarter = match.groups()
        last = timezone.localdate().year
        if not 1900 <= int(year) <= last:
            # Year 0 or 9999 would fail to make dates: a period is one that has begun.
            raise PeriodError(_("Give a year from 1900 to %(last)d.") % {"last": last}, field)
        if quarter:
            return cls(periods.Kind.QUARTER, int(year), 3 * int(quarter) - 2)
        return cls(periods.Kind.YEAR, int(year))

    @property
    def due(self) -> datetime.date:
        """Quarterly: the 15th of the next quarter's first month; annual: 31 January (N1, N2)."""
        if self.quarter is None:
            return datetime.date(self.year + 1, 1, 31)
        return self.end + datetime.timedelta(days=15)

    @property
    def label(self) -> str:
        """The form's own words for it (the form is always in Chinese)."""
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
    enterprise_id: int | None = None

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
        enterprise_id=enterprise.pk,
    )
    summarise(stats, rows, Labels.zh())
    return stats


def cell_lists(stats: Statistics, **narrower: Any) -> tuple[str | None, str | None]:
    """The ledger lists (API paths with their filters) of one row of the form: the hazards it
    counts as found, and those of them rectified by `as_of` — each list's count is the
    row's figure. `narrower`: the row's level, source or hazard type."""
    if stats.enterprise_id is None:
        return None, None
    found = {
        "enterprise": stats.enterprise_id,
        "found_from": stats.period.start,
        "found_to": stats.as_of,
        "state": "valid",
        **narrower,
    }
    rectified = {**found, "closed_to": stats.as_of}
    return (
        Figure("found", "", "hazards", found).api,
        Figure("rectified", "", "hazards", rectified).api,
    )


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
    doc = DocxWriter(font="宋体", size=10.5)
    doc.para(statistics_title(data), align=CENTER, size=16, bold=True)
    for line in statistics_heading_lines(data):
        doc.para(line)
    for heading, headers, rows in statistics_sections(data):
        doc.para(heading, bold=True)
        empty = [["无"] + [""] * (len(headers) - 1)]
        doc.table(headers, rows or empty, size=10.5, heading_font="宋体", centered=False)
    doc.para("")
    for line in statistics_signature_lines(data):
        doc.para(line)
    return doc.bytes()
