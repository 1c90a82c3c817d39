"""The ledger as the xlsx zones keep (隐患排查治理台账), streamed: rows come from
`.values().iterator()` in chunks and go straight into the workbook (lib.xlsx) on a temporary
file, so a zone-year (~19,000 rows) costs the memory of a chunk."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from anjian.hazards import accident_types
from anjian.hazards.exporting.labels import (
    CHUNK,
    LEDGER_ORDER,
    Labels,
    is_overdue,
    local,
    person,
)
from anjian.hazards.models import HazardQuerySet
from anjian.lib.xlsx import write_workbook

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


def ledger_filename(today: datetime.date) -> str:
    return f"隐患排查治理台账-{today.isoformat()}.xlsx"


def render_ledger_xlsx(rows: Iterable[list[Any]]) -> bytes:
    buffer = io.BytesIO()
    write_ledger_xlsx(rows, buffer)
    return buffer.getvalue()
