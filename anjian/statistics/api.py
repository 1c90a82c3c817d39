"""/api/v1/hazards/exports/statistics/{enterprise}: an enterprise's quarterly and annual
hazard statistics (16号令 第十四条) as JSON, xlsx or docx. The path is the one it had under
the ledger's exports."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.utils import timezone
from ninja import Router
from pydantic import BaseModel

from anjian.accounts.permissions import can
from anjian.accounts.typing import AuthedRequest
from anjian.enterprises.models import Enterprise
from anjian.hazards.exporting.labels import Labels
from anjian.hazards.models import Hazard, Level
from anjian.lib.api import InputError, binary_responses, errors
from anjian.lib.errors import NotAllowed
from anjian.lib.http import DOCX, XLSX
from anjian.statistics import quarterly
from anjian.statistics.breakdown import BreakdownForm, Row, breakdown
from anjian.statistics.schemas import FigureOut
from anjian.statistics.views import form_response

router = Router(tags=["hazard exports"])


class TallyOut(BaseModel):
    name: str
    found: int
    rectified: int
    outstanding: int
    rate: str
    # The ledger lists behind `found` and `rectified`: each `?with_count=true` count is the
    # figure.
    found_list: str | None = None
    rectified_list: str | None = None


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


def _tallies(
    data: quarterly.Statistics, items: list[tuple[str, quarterly.Tally, dict[str, Any]]]
) -> list[dict[str, Any]]:
    out = []
    for name, t, narrower in items:
        found_list, rectified_list = quarterly.cell_lists(data, **narrower)
        out.append(
            {
                "name": name,
                "found": t.found,
                "rectified": t.rectified,
                "outstanding": t.outstanding,
                "rate": t.rate,
                "found_list": found_list,
                "rectified_list": rectified_list,
            }
        )
    return out


def statistics_payload(data: quarterly.Statistics) -> dict[str, Any]:
    labels = Labels.zh()
    # The form names a source or type by its Chinese label; its list filters by the code.
    source = {label: {"source": code} for code, label in labels.source.items()}
    kind = {label: {"hazard_type": code} for code, label in labels.hazard_type.items()}
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
        "due_source": quarterly.DUE_SOURCE,
        "by_level": _tallies(
            data,
            [
                ("一般事故隐患", data.general, {"level": Level.GENERAL}),
                ("重大事故隐患", data.major, {"level": Level.MAJOR}),
                ("合计", data.total, {}),
            ],
        ),
        "overdue": data.overdue,
        "funds_rectified": data.funds_rectified,
        "funds_total": data.funds_total,
        "by_source": _tallies(data, [(n, t, source.get(n, {})) for n, t in data.by_source.items()]),
        "by_type": _tallies(data, [(n, t, kind.get(n, {})) for n, t in data.by_type.items()]),
        "majors": [m.__dict__ for m in data.majors],
    }


@router.get(
    "/hazards/exports/statistics/{int:enterprise_id}",
    response={200: StatisticsOut, **errors(401, 403, 404, 422)},
    openapi_extra=binary_responses("the statistics form", XLSX, DOCX),
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
    if not can(request.user, "hazards.view"):
        raise NotAllowed("hazards.view")
    enterprise = Enterprise.objects.get_for(request.user, enterprise_id)
    try:
        parsed = quarterly.Period.parse(period)
    except quarterly.PeriodError as exc:
        raise InputError([{"field": "period", "message": str(exc)}]) from exc
    hazards = Hazard.objects.visible_to(request.user)
    data = quarterly.build_statistics(enterprise, hazards, parsed, timezone.localdate())
    if format in ("xlsx", "docx"):
        return form_response(data, format)
    return statistics_payload(data)


class RowOut(BaseModel):
    value: str
    label: str
    figures: list[FigureOut]


class BreakdownOut(BaseModel):
    period: str
    by: str
    office: int | None
    rows: list[RowOut]
    total: RowOut


@router.get(
    "/statistics/hazards",
    response={200: BreakdownOut, **errors(401, 403, 404, 422)},
    operation_id="anjian_statistics_api_hazard_breakdown",
    tags=["statistics"],
)
def hazard_breakdown(
    request: AuthedRequest,
    period: str | None = None,
    by: str | None = None,
    office: str | None = None,
) -> dict[str, Any]:
    """The hazards you see found in `period` (2026, 2026Q3 or 2026-07; default this year)
    split `by` office, grid, level, source, hazard_type, finder, sector, found_by (person),
    month or week (default: office for a zone, grid for an office, month otherwise), in one
    `office` when given: each row's found, rectified, open and overdue figures, each with the
    API list whose `?with_count=true` count is its value, and its rectification rate."""
    if not can(request.user, "hazards.view"):
        raise NotAllowed("hazards.view")
    params = {k: v for k, v in {"period": period, "by": by, "office": office}.items() if v}
    form = BreakdownForm(params, user=request.user)
    if not form.is_valid():
        raise InputError(
            [{"field": f, "message": str(m)} for f, ms in form.errors.items() for m in ms]
        )
    chosen, split, area = form.asked()
    data = breakdown(request.user, chosen, split, area)

    def row(r: Row) -> dict[str, Any]:
        return {"value": str(r.value), "label": r.label, "figures": [f.as_json() for f in r.all()]}

    assert data.total is not None
    return {
        "period": chosen.code,
        "by": split,
        "office": area.pk if area else None,
        "rows": [row(r) for r in data.rows],
        "total": row(data.total),
    }
