"""/api/v1/visits: what the field page and devices send (photos first: evidence.api)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import Http404
from ninja import Query, Router, Status
from pydantic import BaseModel

from anjian.accounts.permissions import can
from anjian.accounts.typing import AuthedRequest
from anjian.fieldwork import services
from anjian.fieldwork.filters import VisitQuery
from anjian.fieldwork.models import Visit
from anjian.fieldwork.schemas import VisitIn
from anjian.lib.api import InputError, ListOut, errors, form_errors, list_payload
from anjian.lib.errors import NotAllowed
from anjian.lib.paging import keyset_page

router = Router(tags=["field work"])


class VisitOut(BaseModel):
    id: int
    client_uuid: uuid.UUID
    kind: str
    enterprise_id: int
    outcome: str
    visited_on: datetime.date
    checklist_version_id: int | None
    hazard_ids: list[int]
    answers: int


def visit_out(v: Visit) -> dict[str, Any]:
    return {
        "id": v.pk,
        "client_uuid": v.client_uuid,
        "kind": v.kind,
        "enterprise_id": v.enterprise_id,
        "outcome": v.outcome,
        "visited_on": v.visited_on,
        "checklist_version_id": v.checklist_version_id,
        "hazard_ids": [h.pk for h in services.hazards_of(v)],
        "answers": v.answers.count(),
    }


class Named(BaseModel):
    id: int
    name: str


class VisitRow(BaseModel):
    id: int
    kind: str
    outcome: str
    visited_on: datetime.date
    enterprise: Named
    grid: Named
    office_id: int
    recorded_by: Named


ROW_COLUMNS = (
    "id", "kind", "outcome", "visited_on", "enterprise_id", "enterprise__name", "grid_id",
    "grid__name", "office_id", "recorded_by_id", "recorded_by__display_name",
    "recorded_by__username",
)  # fmt: skip


def visit_row(r: dict[str, Any]) -> dict[str, Any]:
    who = r["recorded_by__display_name"] or r["recorded_by__username"]
    return {
        **{k: r[k] for k in ("id", "kind", "outcome", "visited_on", "office_id")},
        "enterprise": {"id": r["enterprise_id"], "name": r["enterprise__name"]},
        "grid": {"id": r["grid_id"], "name": r["grid__name"]},
        "recorded_by": {"id": r["recorded_by_id"], "name": who},
    }


@router.get("/visits", response={200: ListOut[VisitRow], **errors(400, 401, 403, 422)})
def list_visits(
    request: AuthedRequest,
    filters: Query[VisitQuery],
    cursor: str | None = None,
    limit: int = 50,
    with_count: bool = False,
) -> dict[str, Any]:
    """The visits in your scope, newest first; filters as on the visit list page."""
    if not can(request.user, "fieldwork.view"):
        raise NotAllowed("fieldwork.view")
    form, qs = services.filtered_visits(filters.dict(exclude_none=True), request.user)
    if qs is None:
        raise InputError(form_errors(form))
    page = keyset_page(
        qs.values(*ROW_COLUMNS),
        key="visited_on",
        descending=True,
        cursor=cursor,
        limit=limit,
        with_count=with_count,
    )
    return list_payload(page, [visit_row(r) for r in page.items])


@router.post("/visits", response={201: VisitOut, 200: VisitOut, **errors(401, 403, 404, 422)})
def create_visit(request: AuthedRequest, payload: VisitIn) -> Status[dict[str, Any]]:
    """Record a visit with its answers and hazards in one go (all or nothing)."""
    visit, created = services.record_visit(payload, by=request.user)
    return Status(201 if created else 200, visit_out(visit))


@router.get("/visits/{int:visit_id}", response={200: VisitOut, **errors(401, 404)})
def get_visit(request: AuthedRequest, visit_id: int) -> dict[str, Any]:
    visit = Visit.objects.visible_to(request.user).filter(pk=visit_id).first()
    if visit is None:
        raise Http404
    return visit_out(visit)
