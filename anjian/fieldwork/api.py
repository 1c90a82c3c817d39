"""/api/v1/visits: what the field page and devices send (photos first: evidence.api)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.http import Http404
from ninja import Router, Schema, Status
from pydantic import BaseModel

from anjian.accounts.typing import AuthedRequest
from anjian.checklists.models import ChecklistItem
from anjian.evidence.services import photos_for
from anjian.fieldwork import services
from anjian.fieldwork.models import Visit
from anjian.lib.api import errors

router = Router(tags=["field work"])


class HazardFound(Schema):
    client_uuid: uuid.UUID | None = None
    name: str
    level: str = "0"
    rectify_type: str = "1"
    description: str = ""
    location: str = ""
    hazard_type: str = "1"
    management_class: str = ""
    measures: str = ""
    liable_person: str = ""
    deadline: datetime.date | None = None
    before_photos: list[int] = []
    after_photos: list[int] = []


class AnswerHazard(Schema):
    """What the device adds to the hazard a non-compliant answer creates (the rest comes from
    the checklist item); only the fields sent override the item's."""

    client_uuid: uuid.UUID | None = None
    name: str | None = None
    level: str | None = None
    rectify_type: str | None = None
    description: str | None = None
    location: str | None = None
    hazard_type: str | None = None
    management_class: str | None = None
    measures: str | None = None
    liable_person: str | None = None
    deadline: datetime.date | None = None
    after_photos: list[int] = []


class AnswerIn(Schema):
    item: int
    result: str
    note: str = ""
    photos: list[int] = []
    hazard: AnswerHazard = AnswerHazard()


class VisitIn(Schema):
    """A visit as a device sends it. `client_uuid` is made on the device before the first
    try: a retry returns the first visit (200) instead of writing another."""

    client_uuid: uuid.UUID
    kind: str
    enterprise: int
    outcome: str
    started_at: datetime.datetime
    ended_at: datetime.datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    checklist_version: int | None = None
    note: str = ""
    people: list[int] = []
    photos: list[int] = []
    answers: list[AnswerIn] = []
    hazards: list[HazardFound] = []
    # For a double-random inspection: the drawn enterprise (GET /api/v1/draws/{id}).
    draw_item: int | None = None


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


def _input(request: AuthedRequest, p: VisitIn) -> services.VisitInput:
    user = request.user
    items = {
        i.pk: i
        for i in ChecklistItem.objects.filter(pk__in=[a.item for a in p.answers]).select_related(
            "version__checklist__standard"
        )
    }
    if len(items) != len({a.item for a in p.answers}):
        raise services.VisitError("unknown checklist item", "answers")
    return services.VisitInput(
        client_uuid=p.client_uuid,
        kind=p.kind,
        enterprise_id=p.enterprise,
        outcome=p.outcome,
        started_at=p.started_at,
        ended_at=p.ended_at,
        latitude=p.latitude,
        longitude=p.longitude,
        checklist_version_id=p.checklist_version,
        draw_item_id=p.draw_item,
        note=p.note,
        people=p.people,
        photos=photos_for(user, p.photos),
        answers=[
            services.AnswerInput(
                item=items[a.item],
                result=a.result,
                note=a.note,
                photos=photos_for(user, a.photos),
                hazard=a.hazard.dict(
                    exclude_unset=True, exclude_none=True, exclude={"after_photos"}
                ),
                hazard_after_photos=photos_for(user, a.hazard.after_photos),
            )
            for a in p.answers
        ],
        hazards=[
            services.HazardInput(
                data=h.dict(exclude={"client_uuid", "before_photos", "after_photos"}),
                client_uuid=h.client_uuid,
                before_photos=photos_for(user, h.before_photos),
                after_photos=photos_for(user, h.after_photos),
            )
            for h in p.hazards
        ],
    )


@router.post("/visits", response={201: VisitOut, 200: VisitOut, **errors(401, 403, 404, 422)})
def create_visit(request: AuthedRequest, payload: VisitIn) -> Status[dict[str, Any]]:
    """Record a visit with its answers and hazards in one go (all or nothing)."""
    visit, created = services.record_visit(_input(request, payload), by=request.user)
    return Status(201 if created else 200, visit_out(visit))


@router.get("/visits/{int:visit_id}", response={200: VisitOut, **errors(401, 404)})
def get_visit(request: AuthedRequest, visit_id: int) -> dict[str, Any]:
    visit = Visit.objects.visible_to(request.user).filter(pk=visit_id).first()
    if visit is None:
        raise Http404
    return visit_out(visit)
