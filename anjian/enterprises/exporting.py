"""The registry as xlsx: exports of a filtered list, and the import template.

Both use the importer's headers, so an export can be edited and imported back.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import translation

from anjian.enterprises.importing import CHOICE_FIELDS, COLUMNS
from anjian.enterprises.models import Enterprise, Tag
from anjian.lib import uscc
from anjian.lib.xlsx import workbook_bytes

WIDTHS = {
    "name": 30,
    "uscc": 22,
    "address": 30,
    "safety_managers": 24,
    "tags": 24,
    "landlord": 24,
    "grid": 14,
}


def _label(cls: Any, value: str) -> str:
    return str(cls(value).label) if value else ""


def _rows(qs: QuerySet[Enterprise]) -> Iterator[list[Any]]:
    qs = (
        qs.select_related("grid", "village", "competent_department", "landlord")
        .prefetch_related("tags", "safety_managers")
        .order_by("name", "id")
    )
    # Chunks of 500 keep memory flat for a zone's whole registry.
    for e in qs.iterator(chunk_size=500):
        values: dict[str, Any] = {
            "name": e.name,
            "uscc": e.uscc,
            "legal_representative": e.legal_representative,
            "principal": e.principal,
            "principal_phone": e.principal_phone,
            "safety_managers": "；".join(
                f"{m.name} {m.phone}".strip() for m in e.safety_managers.all()
            ),
            "address": e.address,
            "latitude": float(e.latitude) if e.latitude is not None else None,
            "longitude": float(e.longitude) if e.longitude is not None else None,
            "village": e.village.name,
            "grid": e.grid.code,
            "industry_code": e.industry_code,
            "tags": "、".join(_label(Tag, t.tag) for t in e.tags.all()),
            "employees": e.employees,
            "competent_department": e.competent_department.name if e.competent_department else "",
            "standardization_expires_on": e.standardization_expires_on,
            "landlord": (e.landlord.uscc or e.landlord.name) if e.landlord else "",
        }
        for field_name, (cls, _extra) in CHOICE_FIELDS.items():
            values[field_name] = _label(cls, getattr(e, field_name))
        yield [values[f] for f, _h, _a in COLUMNS]


def export_xlsx(qs: QuerySet[Enterprise]) -> bytes:
    """The filtered registry, one enterprise per row, labels in Chinese as zones write them."""
    with translation.override("zh-hans"):
        headers = [h for _f, h, _a in COLUMNS]
        widths = [WIDTHS.get(f, 12) for f, _h, _a in COLUMNS]
        return workbook_bytes([("企业名录", headers, _rows(qs), widths)])


def template_xlsx() -> bytes:
    """An empty import sheet with one example row, and a sheet of the allowed values."""
    with translation.override("zh-hans"):
        headers = [h for _f, h, _a in COLUMNS]
        example = {
            "name": "示例精密机械有限公司",
            "uscc": uscc.complete("91320500MA1EXAMPL"),
            "principal": "张三",
            "principal_phone": "13800000000",
            "safety_managers": "李四 13900000000",
            "address": "工业园区纬三路18号",
            "grid": "网格编码或名称",
            "sector": "机械",
            "tags": "粉尘涉爆、有限空间",
            "employees": 85,
            "scale": "规上",
            "risk_class": "黄",
            "kind": "普通企业",
            "status": "在营",
        }
        row = [example.get(f, "") for f, _h, _a in COLUMNS]
        allowed: list[list[Any]] = []
        for field_name, (cls, _extra) in CHOICE_FIELDS.items():
            header = next(h for f, h, _a in COLUMNS if f == field_name)
            allowed.append([header, "、".join(str(lbl) for _v, lbl in cls.choices)])
        allowed.append(["重点监管标签", "、".join(str(lbl) for _v, lbl in Tag.choices)])
        allowed.append(["必填列", "企业名称、所属网格、监管行业"])
        widths = [WIDTHS.get(f, 12) for f, _h, _a in COLUMNS]
        return workbook_bytes(
            [
                ("企业名录", headers, [row], widths),
                ("填写说明", ["列", "允许的值"], allowed, [16, 100]),
            ]
        )
