"""/api/v1/checklists: the checklists, the ones that apply to an enterprise, a version's items.

The checklist list is reference data of a few dozen rows: it comes whole (`next` is always
null), in the one list shape.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count
from ninja import Router
from pydantic import BaseModel

from anjian.accounts.permissions import can
from anjian.accounts.typing import AuthedRequest
from anjian.checklists import services
from anjian.checklists.models import Checklist, ChecklistItem, ChecklistVersion
from anjian.enterprises.services import get_enterprise_for
from anjian.lib.api import Id, ListOut, errors
from anjian.lib.errors import NotAllowed

router = Router(tags=["checklists"])


class StandardOut(BaseModel):
    code: str
    title: str
    doc_no: str


class VersionRef(BaseModel):
    id: int
    number: int
    status: str
    published_at: datetime.datetime | None
    items: int


class ChecklistRef(BaseModel):
    """`zone_id` is the zone that owns the checklist; null for the platform's (national and
    industry standards)."""

    id: int
    zone_id: int | None
    code: str
    title: str
    standard: StandardOut | None
    clause: str
    sectors: list[str]
    tags: list[str]
    note: str


class ChecklistOut(ChecklistRef):
    published: VersionRef | None


class ItemOut(BaseModel):
    id: int
    code: str
    position: int
    text: str
    clause: str
    determination: str
    verification: str
    tags: list[str]


class VersionOut(BaseModel):
    id: int
    checklist: ChecklistRef
    number: int
    status: str
    published_at: datetime.datetime | None
    items: list[ItemOut]


def _standard(c: Checklist) -> dict[str, Any] | None:
    s = c.standard
    return {"code": s.code, "title": s.title, "doc_no": s.doc_no} if s else None


def _version_ref(v: ChecklistVersion | None, items: int) -> dict[str, Any] | None:
    if v is None:
        return None
    return {
        "id": v.pk,
        "number": v.number,
        "status": v.status,
        "published_at": v.published_at,
        "items": items,
    }


def checklist_ref(c: Checklist) -> dict[str, Any]:
    return {
        "id": c.pk,
        "zone_id": c.zone_id,
        "code": c.code,
        "title": c.title,
        "standard": _standard(c),
        "clause": c.clause,
        "sectors": c.sectors,
        "tags": c.tags,
        "note": c.note,
    }


def checklist_out(c: Checklist, published: ChecklistVersion | None, items: int) -> dict[str, Any]:
    return checklist_ref(c) | {"published": _version_ref(published, items)}


def item_out(i: ChecklistItem) -> dict[str, Any]:
    return {
        f: getattr(i, f)
        for f in ("id", "code", "position", "text", "clause", "determination", "verification")
    } | {"tags": i.tags}


def _check_view(request: AuthedRequest) -> None:
    if not can(request.user, "checklists.view"):
        raise NotAllowed("checklists.view")


@router.get("", response={200: ListOut[ChecklistOut], **errors(401, 403, 404)})
def list_checklists(
    request: AuthedRequest, enterprise: Id | None = None, with_count: bool = False
) -> dict[str, Any]:
    """Every checklist with its published version; with `enterprise`, only those that apply
    to that enterprise's sector and tags (and `items` counts the items that apply to it)."""
    _check_view(request)
    if enterprise is not None:
        found = services.applicable_for(get_enterprise_for(request.user, enterprise))
        rows = [checklist_out(a.version.checklist, a.version, len(a.items)) for a in found]
    else:
        checklists = Checklist.objects.visible_to(request.user)
        published = {
            v.checklist_id: v
            for v in ChecklistVersion.objects.published()
            .filter(checklist__in=checklists)
            .annotate(n=Count("items"))
        }
        rows = [
            checklist_out(c, published.get(c.pk), getattr(published.get(c.pk), "n", 0))
            for c in checklists.select_related("standard").order_by("zone_id", "code")
        ]
    payload: dict[str, Any] = {"items": rows, "next": None}
    if with_count:
        payload["count"] = len(rows)
    return payload


@router.get("/versions/{int:version_id}", response={200: VersionOut, **errors(401, 403, 404)})
def get_version(
    request: AuthedRequest, version_id: int, enterprise: Id | None = None
) -> dict[str, Any]:
    """A version with its items; with `enterprise`, only the items that apply to it."""
    _check_view(request)
    version = services.get_version_for(request.user, version_id)
    chosen = get_enterprise_for(request.user, enterprise) if enterprise is not None else None
    items = services.items_for(version, chosen)
    return {
        "id": version.pk,
        "checklist": checklist_ref(version.checklist),
        "number": version.number,
        "status": version.status,
        "published_at": version.published_at,
        "items": [item_out(i) for i in items],
    }
