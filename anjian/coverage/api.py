"""/api/v1/coverage: per-enterprise coverage rows (the list shape), and the grid and person
roll-ups (`/coverage/summary`). Both take the coverage page's filters."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Query, Router, Schema
from pydantic import BaseModel

from anjian.accounts.permissions import can
from anjian.accounts.typing import AuthedRequest
from anjian.coverage import services as coverage
from anjian.coverage.forms import CoverageFilter
from anjian.coverage.pages import COVERAGE_COUNTING, listed
from anjian.lib.api import InputError, ListOut, errors, form_errors
from anjian.lib.errors import NotAllowed
from anjian.lib.filters import query_schema

router = Router(tags=["coverage"])


# The summary's roll-ups are of every enterprise: `state` narrows only the list.
@query_schema(CoverageFilter, exclude=["state"])
class CoverageParams(Schema):
    pass


@query_schema(CoverageFilter)
class RowParams(Schema):
    pass


class Named(BaseModel):
    id: int
    name: str


class EnterpriseCoverage(BaseModel):
    """One enterprise in the period: visits `required` by the policy row `policy_id`, checks
    `done` (outcome inspected), and the visits with other outcomes counted apart."""

    id: int
    name: str
    grid: Named
    office_id: int
    sector: str
    risk_class: str
    standardization_grade: str
    status: str
    policy_id: int | None
    required: int
    done: int
    other: int
    outcomes: dict[str, int]
    last_visit: datetime.date | None
    met: bool
    unvisited: bool


class PeriodOut(BaseModel):
    code: str
    start: datetime.date
    end: datetime.date


class Totals(BaseModel):
    enterprises: int
    met: int
    unvisited: int
    required: int
    checks: int
    other: int
    other_by_outcome: dict[str, int]
    rate: float | None


class GridCoverage(BaseModel):
    grid: Named
    office_id: int
    enterprises: int
    met: int
    unvisited: int
    required: int
    checks: int
    other: int
    rate: float | None


class PersonCoverage(BaseModel):
    """`required` and `unvisited` are those of the grids the person serves (null: none)."""

    id: int
    name: str
    role: str
    grids: list[str]
    required: int | None
    unvisited: int | None
    checks: int
    enterprises: int
    other: int


class SummaryOut(BaseModel):
    period: PeriodOut
    totals: Totals
    grids: list[GridCoverage]
    people: list[PersonCoverage]


def _form(request: AuthedRequest, params: dict[str, Any]) -> CoverageFilter:
    if not can(request.user, "coverage.view"):
        raise NotAllowed("coverage.view")
    form = CoverageFilter(params, user=request.user)
    if not form.is_valid():
        raise InputError(form_errors(form))
    return form


def row_out(r: coverage.EnterpriseRow) -> dict[str, Any]:
    return {
        "id": r.id,
        "name": r.name,
        "grid": {"id": r.grid_id, "name": r.grid_name},
        "office_id": r.office_id,
        "sector": r.sector,
        "risk_class": r.risk_class,
        "standardization_grade": r.standardization_grade,
        "status": r.status,
        "policy_id": r.policy_id,
        "required": r.required,
        "done": r.done,
        "other": r.other,
        "outcomes": r.outcomes,
        "last_visit": r.last_visit,
        "met": r.met,
        "unvisited": r.unvisited,
    }


@router.get("", response={200: ListOut[EnterpriseCoverage], **errors(400, 401, 403, 422)})
def list_coverage(
    request: AuthedRequest,
    filters: Query[RowParams],
    cursor: str | None = None,
    limit: int = 50,
    with_count: bool = False,
) -> dict[str, Any]:
    """Per enterprise, by name: `period` like 2026Q3, 2026-07 or 2026 (default: this
    quarter); `state` = due | unvisited | met narrows the list."""
    form = _form(request, filters.dict(exclude_none=True))
    page = listed(form.query(), form.list_state(), cursor, limit, with_count)
    payload: dict[str, Any] = {"items": [row_out(r) for r in page.items], "next": page.next}
    if with_count:
        payload["count"] = page.count
    return payload


@router.get("/summary", response={200: SummaryOut, **errors(401, 403, 422)})
def summary(request: AuthedRequest, filters: Query[CoverageParams]) -> dict[str, Any]:
    """Totals, and the roll-ups per grid and per person, for the period."""
    form = _form(request, filters.dict(exclude_none=True))
    query = form.query()
    grids = COVERAGE_COUNTING.grid_rows(query)
    return {
        "period": {"code": query.period.code, "start": query.period.start, "end": query.period.end},
        "totals": coverage.totals(query, grids, COVERAGE_COUNTING.fetch),
        "grids": [
            {
                "grid": {"id": g.grid_id, "name": g.grid_name},
                "office_id": g.office_id,
                "enterprises": g.enterprises,
                "met": g.met,
                "unvisited": g.unvisited,
                "required": g.required,
                "checks": g.checks,
                "other": g.other,
                "rate": g.rate,
            }
            for g in grids
        ],
        "people": [
            {
                "id": p.user_id,
                "name": p.name,
                "role": p.role,
                "grids": p.grids,
                "required": p.required,
                "unvisited": p.unvisited,
                "checks": p.checks,
                "enterprises": p.enterprises,
                "other": p.other,
            }
            for p in coverage.person_rows(query, grids, COVERAGE_COUNTING.fetch)
        ],
    }
