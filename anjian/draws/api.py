"""/api/v1/draws: double-random draws, the same functions as the pages."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Router, Schema, Status
from pydantic import BaseModel

from anjian.accounts.permissions import can
from anjian.accounts.typing import AuthedRequest
from anjian.draws import services as draws
from anjian.draws.models import Draw
from anjian.enterprises.filters import FilterQuery
from anjian.lib.api import Id, InputError, Int64, ListOut, errors, list_payload
from anjian.lib.errors import NotAllowed
from anjian.lib.paging import keyset_page

router = Router(tags=["double-random draws"])


class DrawIn(Schema):
    """Draw `size` enterprises from the registry filtered by `filters` (your scope; without
    a status, operating enterprises only) and two officers for each from `officers` (certified
    officers of your area; empty: all of them). Give `seed` only to repeat a draw."""

    title: str
    size: int
    filters: FilterQuery = FilterQuery()
    officers: list[Id] = []
    seed: Int64 | None = None


class Person(BaseModel):
    id: int
    name: str


class DrawRow(BaseModel):
    id: int
    title: str
    office_id: int | None
    size: int
    objects: int
    seed: int
    created_at: datetime.datetime
    published_at: datetime.datetime | None


class DrawItemOut(BaseModel):
    id: int
    position: int
    enterprise_id: int
    enterprise_name: str
    officers: list[Person]


class DrawOut(DrawRow):
    criteria: dict[str, Any]
    enterprise_ids: list[int]
    officer_ids: list[int]
    created_by: Person
    published_by: Person | None
    reproduced: bool
    items: list[DrawItemOut]


def _person(user: Any) -> dict[str, Any] | None:
    return {"id": user.pk, "name": str(user)} if user is not None else None


def draw_row(d: Draw) -> dict[str, Any]:
    return {
        "id": d.pk,
        "title": d.title,
        "office_id": d.office_id,
        "size": d.size,
        "objects": len(d.enterprise_ids),
        "seed": d.seed,
        "created_at": d.created_at,
        "published_at": d.published_at,
    }


def draw_out(d: Draw) -> dict[str, Any]:
    items = list(
        d.items.select_related("enterprise").prefetch_related("officers").order_by("position")
    )
    return draw_row(d) | {
        "criteria": d.criteria,
        "enterprise_ids": d.enterprise_ids,
        "officer_ids": d.officer_ids,
        "created_by": _person(d.created_by),
        "published_by": _person(d.published_by),
        "reproduced": draws.is_reproduced(d, items),
        "items": [
            {
                "id": i.pk,
                "position": i.position,
                "enterprise_id": i.enterprise_id,
                "enterprise_name": i.enterprise.name,
                "officers": [_person(o) for o in sorted(i.officers.all(), key=lambda o: o.pk)],
            }
            for i in items
        ],
    }


def _check(request: AuthedRequest, capability: str) -> None:
    if not can(request.user, capability):
        raise NotAllowed(capability)


def _input_error(exc: draws.DrawError) -> InputError:
    field = exc.field
    if field not in ("title", "size", "officers", "seed", "published"):
        field = f"filters.{field}"
    return InputError([{"field": field, "message": str(exc)}])


@router.get("", response={200: ListOut[DrawRow], **errors(400, 401, 403)})
def list_draws(
    request: AuthedRequest, cursor: str | None = None, limit: int = 50, with_count: bool = False
) -> dict[str, Any]:
    """The draws of your area, newest first."""
    _check(request, "draws.view")
    qs = Draw.objects.visible_to(request.user)
    page = keyset_page(
        qs, key="created_at", descending=True, cursor=cursor, limit=limit, with_count=with_count
    )
    return list_payload(page, [draw_row(d) for d in page.items])


@router.post("", response={201: DrawOut, **errors(401, 403, 422)})
def create_draw(request: AuthedRequest, payload: DrawIn) -> Status[dict[str, Any]]:
    """Make a draw (unpublished until `POST /draws/{id}/publish`)."""
    _check(request, "draws.manage")
    try:
        draw = draws.create_draw(
            title=payload.title,
            criteria=payload.filters.dict(exclude_none=True),
            size=payload.size,
            officer_ids=payload.officers,
            seed=payload.seed,
            by=request.user,
        )
    except draws.DrawError as exc:
        raise _input_error(exc) from exc
    return Status(201, draw_out(Draw.objects.get_for(request.user, draw.pk)))


@router.get("/{int:draw_id}", response={200: DrawOut, **errors(401, 403, 404)})
def get_draw(request: AuthedRequest, draw_id: int) -> dict[str, Any]:
    """A draw with its seed, both lists and its result; `reproduced` says the seed gives it."""
    _check(request, "draws.view")
    return draw_out(Draw.objects.get_for(request.user, draw_id))


@router.post("/{int:draw_id}/publish", response={200: DrawOut, **errors(401, 403, 404, 422)})
def publish_draw(request: AuthedRequest, draw_id: int) -> dict[str, Any]:
    """Publish the result; a published draw never changes (422 if published already)."""
    _check(request, "draws.manage")
    try:
        draws.publish_draw(Draw.objects.get_for(request.user, draw_id), by=request.user)
    except draws.DrawError as exc:
        raise _input_error(exc) from exc
    return draw_out(Draw.objects.get_for(request.user, draw_id))
