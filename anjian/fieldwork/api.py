"""/api/v1/visits: what the field page and devices send (photos first: evidence.api)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import Http404
from ninja import Router, Status
from pydantic import BaseModel

from anjian.accounts.typing import AuthedRequest
from anjian.fieldwork import services
from anjian.fieldwork.models import Visit
from anjian.fieldwork.schemas import VisitIn
from anjian.lib.api import errors

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
