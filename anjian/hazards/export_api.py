"""/api/v1/hazards/exports: the ledger as xlsx and as national interface records, and an
enterprise's quarterly and annual statistics (16号令 第十四条)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http.response import HttpResponseBase
from django.utils import timezone
from ninja import Query, Router
from pydantic import BaseModel

from anjian.accounts.permissions import can
from anjian.accounts.typing import AuthedRequest
from anjian.enterprises.services import get_enterprise_for
from anjian.hazards import exporting
from anjian.hazards.api import LedgerQuery, ledger
from anjian.hazards.export_views import (
    ledger_xlsx_response,
    national_json_response,
    statistics_response,
)
from anjian.hazards.models import Hazard
from anjian.lib.api import InputError, errors
from anjian.lib.errors import NotAllowed

router = Router(tags=["hazard exports"])

NULL_FIELDS = ", ".join(f"`{f}`" for f in exporting.NATIONAL_NULL_FIELDS)
LEDGER_JSON_DOC = (
    """The ledger in your scope as hazard records of the national dual-prevention interface
(FIELD-NOTES.md §4.2), streamed as one JSON array, or as JSON Lines with `format=jsonl`.

Field names and codes are the interface's: `dangerLevel` 0 general / 1 major;
`dangerSrc` 1–10 (11: government supervisory inspection); `dangerManageType`
0 即查即改 / 1 限期整改; `hazardDangerType` 1–8; `managementClassification` 1–3;
`dangerState` 0 整改中 / 1 待验收 / 9 已验收; `deleted` 1 for a voided hazard. Codes are
strings; times are local (Asia/Shanghai) "YYYY-MM-DD HH:MM:SS"; `cost` is in yuan.
`id`, `companyName` and `creditCode` (the enterprise's unified social credit code) are
anjian's additions.

Always null, because anjian holds no source for them: """
    + NULL_FIELDS
    + "."
)


def _check(request: AuthedRequest) -> None:
    if not can(request.user, "hazards.view"):
        raise NotAllowed("hazards.view")


def _binary(description: str, *media: str) -> dict[str, Any]:
    # The key is the int 200, as ninja writes its own: a "200" string would sit beside it as a
    # second, duplicate response in the JSON document instead of merging into it.
    return {"responses": {200: {"description": description, "content": {m: {} for m in media}}}}


@router.get(
    "/ledger.xlsx",
    response={200: None, **errors(401, 403, 422)},
    openapi_extra=_binary("the ledger workbook (隐患排查治理台账)", exporting.XLSX),
)
def ledger_xlsx(request: AuthedRequest, filters: Query[LedgerQuery]) -> HttpResponseBase:
    """The ledger in your scope with the ledger's filters, as the xlsx ledger zones keep
    (隐患排查治理台账): one row per hazard, newest first, labels in Chinese, overdue derived
    from the deadline. Built in constant memory whatever the number of rows."""
    _check(request)
    return ledger_xlsx_response(ledger(request, filters))


@router.get(
    "/ledger.json",
    response={200: None, **errors(401, 403, 422)},
    openapi_extra=_binary("national interface records", "application/json", "application/x-ndjson"),
    description=LEDGER_JSON_DOC,
)
def ledger_json(
    request: AuthedRequest,
    filters: Query[LedgerQuery],
    format: Literal["json", "jsonl"] = "json",
) -> HttpResponseBase:
    """The ledger as national interface records (described in LEDGER_JSON_DOC)."""
    _check(request)
    return national_json_response(ledger(request, filters), lines=format == "jsonl")


class TallyOut(BaseModel):
    name: str
    found: int
    rectified: int
    outstanding: int
    rate: str


class MajorOut(BaseModel):
    name: str
    found_on: datetime.date
    status: str
    deadline: datetime.date | None
    closed_on: datetime.date | None
    liable_person: str
    production_suspended: bool


class StatisticsOut(BaseModel):
    enterprise: str
    uscc: str
    principal: str
    area: str
    period: str
    period_start: datetime.date
    period_end: datetime.date
    as_of: datetime.date
    due: datetime.date
    due_source: str
    by_level: list[TallyOut]
    overdue: int
    funds_rectified: Decimal
    funds_total: Decimal
    by_source: list[TallyOut]
    by_type: list[TallyOut]
    majors: list[MajorOut]


def _tallies(items: list[tuple[str, exporting.Tally]]) -> list[dict[str, Any]]:
    return [
        {"name": n, "found": t.found, "rectified": t.rectified, "outstanding": t.outstanding,
         "rate": t.rate}
        for n, t in items
    ]  # fmt: skip


def statistics_payload(data: exporting.Statistics) -> dict[str, Any]:
    return {
        "enterprise": data.enterprise,
        "uscc": data.uscc,
        "principal": data.principal,
        "area": data.area,
        "period": data.period.code,
        "period_start": data.period.start,
        "period_end": data.period.end,
        "as_of": data.as_of,
        "due": data.period.due,
        "due_source": exporting.DUE_SOURCE,
        "by_level": _tallies(
            [("一般事故隐患", data.general), ("重大事故隐患", data.major), ("合计", data.total)]
        ),
        "overdue": data.overdue,
        "funds_rectified": data.funds_rectified,
        "funds_total": data.funds_total,
        "by_source": _tallies(list(data.by_source.items())),
        "by_type": _tallies(list(data.by_type.items())),
        "majors": [m.__dict__ for m in data.majors],
    }


@router.get(
    "/statistics/{int:enterprise_id}",
    response={200: StatisticsOut, **errors(401, 403, 404, 422)},
    openapi_extra=_binary("the statistics form", exporting.XLSX, exporting.DOCX),
)
def statistics(
    request: AuthedRequest,
    enterprise_id: int,
    period: str,
    format: Literal["json", "xlsx", "docx"] = "json",
) -> Any:
    """One enterprise's hazard statistics for a quarter (`period=2026Q3`) or a year
    (`period=2026`): the written statistical analysis form of 16号令 第十四条, due by the
    15th of the next quarter (quarterly) or by 31 January (annual), signed by the principal.
    Counts are of the hazards found in the period, judged as they stood at its end (or
    today, while it runs); major hazards still open when it began are listed too.
    `format=xlsx` or `docx` answers the form as a file."""
    _check(request)
    enterprise = get_enterprise_for(request.user, enterprise_id)
    try:
        parsed = exporting.Period.parse(period)
    except exporting.PeriodError as exc:
        raise InputError([{"field": "period", "message": str(exc)}]) from exc
    hazards = Hazard.objects.visible_to(request.user)
    data = exporting.build_statistics(enterprise, hazards, parsed, timezone.localdate())
    if format == "xlsx":
        return statistics_response(exporting.render_statistics_xlsx(data), data, "xlsx")
    if format == "docx":
        return statistics_response(exporting.render_statistics_docx(data), data, "docx")
    return statistics_payload(data)
