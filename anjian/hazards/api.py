"""/api/v1/hazards: the ledger, one hazard, its timeline, and its transitions; the ledger's
exports (/exports) and imports (/import) come through this router too."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import BaseModel

from anjian.accounts.typing import AuthedRequest
from anjian.enterprises.services import get_enterprise_for
from anjian.evidence.services import photos_for
from anjian.hazards import origins, workflow
from anjian.hazards.exporting.api import router as exports_router
from anjian.hazards.filters import LedgerQuery, ledger_form, ordered
from anjian.hazards.importing.api import router as import_router
from anjian.hazards.models import Hazard, HazardEvent, overdue
from anjian.hazards.schemas import HazardIn
from anjian.lib.api import (
    Id,
    ListOut,
    errors,
    list_payload,
    unchecked_json,
)
from anjian.lib.paging import keyset_page

# The app's one router: the ledger's operations, and its exports and imports — rooms of their
# own with their own tags — mounted below it (a tag on this router would reach theirs too).
router = Router()
TAGS = ["hazards"]


class HazardRow(BaseModel):
    id: int
    name: str
    enterprise_id: int
    enterprise_name: str
    grid_id: int
    office_id: int
    level: str
    source: str
    rectify_type: str
    hazard_type: str
    status: str
    overdue: bool
    found_on: datetime.date
    deadline: datetime.date | None
    finder: str


class HazardOut(HazardRow):
    description: str
    reason: str
    location: str
    management_class: str
    accident_type: str
    basis: str
    liable_person: str
    measures: str
    funds: Decimal | None
    rectified_on: datetime.date | None
    extension_requested_until: datetime.date | None
    acceptor_id: int | None
    accepted_at: datetime.datetime | None
    accept_comment: str
    rejections: int
    extensions: int
    production_suspended: bool
    plan_objectives: str
    plan_methods: str
    plan_funding: str
    plan_organisation: str
    plan_time_limit: str
    plan_safety_measures: str
    visit_id: int | None
    item_id: int | None
    version: int
    danger_state: int
    actions: list[str]


class EventOut(BaseModel):
    id: int
    action: str
    from_status: str
    to_status: str
    actor_id: int | None
    actor_name: str
    at: datetime.datetime
    note: str
    data: dict[str, Any]
    photo_ids: list[int]
    imported: bool
    # For an imported event: the upload and the row of its file it came from.
    import_batch_id: int | None = None
    import_filename: str | None = None
    import_row: int | None = None


class TransitionIn(Schema):
    """`action` is one of the names in `actions` on the hazard; `version` is the one read."""

    action: str
    version: int
    note: str = ""
    deadline: datetime.date | None = None
    basis: str = ""
    liable_person: str = ""
    funds: Decimal | None = None
    reviewers: str = ""
    rectified_on: datetime.date | None = None
    plan_objectives: str = ""
    plan_methods: str = ""
    plan_funding: str = ""
    plan_organisation: str = ""
    plan_time_limit: str = ""
    plan_safety_measures: str = ""
    photos: list[Id] = []
    latitude: Decimal | None = None
    longitude: Decimal | None = None


ROW_COLUMNS = ["id", "name", "enterprise_id", "enterprise__name", "grid_id", "office_id",
               "level", "source", "rectify_type", "hazard_type", "status", "found_on",
               "deadline", "finder"]  # fmt: skip


def row(r: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    out = {k: r[k] for k in ROW_COLUMNS if k != "enterprise__name"}
    out["enterprise_name"] = r["enterprise__name"]
    out["overdue"] = overdue(r["status"], r["deadline"], today)
    return out


def detail(h: Hazard, user: Any) -> dict[str, Any]:
    data = {
        f: getattr(h, f)
        for f in HazardOut.model_fields
        if f not in ("enterprise_name", "overdue", "actions", "danger_state", "visit_id")
    }
    return {
        **data,
        "visit_id": origins.origin_id(h, "visit"),
        "enterprise_name": h.enterprise.name,
        "overdue": h.is_overdue(),
        "danger_state": h.danger_state,
        "actions": workflow.allowed_actions(h, user),
    }


@router.get("", tags=TAGS, response={200: ListOut[HazardRow], **errors(400, 401, 422)})
def list_hazards(
    request: AuthedRequest,
    filters: Query[LedgerQuery],
    cursor: str | None = None,
    limit: int = 50,
    with_count: bool = False,
) -> HttpResponse:
    """The ledger in your scope, newest first; `state=overdue` lists open hazards past
    their deadline."""
    form, qs = ledger_form(request.user, filters)
    qs, key, descending = ordered(form, qs)
    columns = [*ROW_COLUMNS, key] if key not in ROW_COLUMNS else ROW_COLUMNS
    page = keyset_page(
        qs.values(*columns),
        key=key,
        descending=descending,
        cursor=cursor,
        limit=limit,
        with_count=with_count,
    )
    today = timezone.localdate()
    # Rows built here from .values(), key by key: no need for ninja to validate them again
    # (a test checks the output against ListOut[HazardRow]).
    return unchecked_json(list_payload(page, [row(r, today) for r in page.items]))


@router.post("", tags=TAGS, response={201: HazardOut, 200: HazardOut, **errors(401, 403, 404, 422)})
def create_hazard(request: AuthedRequest, payload: HazardIn) -> Status[dict[str, Any]]:
    """Record a hazard found at an enterprise (outside a visit). A retry with the same
    `client_uuid` returns the first hazard with 200."""
    user = request.user
    enterprise = get_enterprise_for(user, payload.enterprise)
    hazard, created = workflow.register_hazard_once(
        enterprise,
        payload.dict(exclude={"enterprise", "before_photos", "after_photos", "client_uuid"}),
        by=user,
        client_uuid=payload.client_uuid,
        before_photos=photos_for(user, payload.before_photos),
        after_photos=photos_for(user, payload.after_photos),
    )
    return Status(201 if created else 200, detail(Hazard.objects.get_for(user, hazard.pk), user))


@router.get("/{int:hazard_id}", tags=TAGS, response={200: HazardOut, **errors(401, 404)})
def get_hazard(request: AuthedRequest, hazard_id: int) -> dict[str, Any]:
    """One hazard with the actions you may take on it now."""
    return detail(Hazard.objects.get_for(request.user, hazard_id), request.user)


@router.get(
    "/{int:hazard_id}/events", tags=TAGS, response={200: list[EventOut], **errors(401, 404)}
)
def get_events(request: AuthedRequest, hazard_id: int) -> list[dict[str, Any]]:
    """The hazard's timeline, oldest first."""
    hazard = Hazard.objects.get_for(request.user, hazard_id)
    events = (
        HazardEvent.objects.filter(hazard=hazard)
        .select_related("actor", "batch")
        .prefetch_related("photos")
    )
    return [
        {
            "id": e.pk,
            "action": e.action,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "actor_id": e.actor_id,
            "actor_name": str(e.actor or ""),
            "at": e.at,
            "note": e.note,
            "data": e.data,
            "photo_ids": [p.pk for p in e.photos.all()],
            "imported": e.imported,
            "import_batch_id": e.batch_id,
            "import_filename": e.batch.filename if e.batch else None,
            "import_row": e.source_row,
        }
        for e in events
    ]


@router.post(
    "/{int:hazard_id}/transitions",
    tags=TAGS,
    response={200: HazardOut, **errors(401, 403, 404, 409, 422)},
)
def post_transition(
    request: AuthedRequest, hazard_id: int, payload: TransitionIn
) -> dict[str, Any]:
    """Take one step of the hazard's workflow. A stale `version` answers 409."""
    user = request.user
    hazard = Hazard.objects.get_for(user, hazard_id)
    data = payload.dict(
        exclude={"action", "version", "photos", "latitude", "longitude"}, exclude_defaults=True
    )
    workflow.transition(
        hazard,
        payload.action,
        data,
        by=user,
        version=payload.version,
        photos=photos_for(user, payload.photos),
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    return detail(Hazard.objects.get_for(user, hazard_id), user)


router.add_router("/exports", exports_router)
router.add_router("/import", import_router)
