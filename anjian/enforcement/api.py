"""/api/v1/notices: issue a rectification notice, read it, download it as .docx or .pdf."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import BaseModel

from anjian.accounts.typing import AuthedRequest
from anjian.documents.pdf import FontMissing
from anjian.enforcement import notices
from anjian.enforcement.filters import NoticeQuery, filtered_notices
from anjian.enforcement.models import Notice
from anjian.enforcement.rendering import document_response
from anjian.fieldwork.models import Visit
from anjian.lib.api import Id, InputError, ListOut, errors, form_errors, list_payload
from anjian.lib.paging import keyset_page

router = Router(tags=["notices"])


class NoticeIn(Schema):
    """Give `visit` (its open hazards go in the notice) or `hazards` (ids of one enterprise).
    `type` is `order` (责令限期整改指令书, officers only) or `notice` (整改通知书)."""

    type: str = "order"
    visit: Id | None = None
    hazards: list[Id] = []
    deadline: datetime.date | None = None
    requirements: str = ""
    issued_on: datetime.date | None = None


class ServeIn(Schema):
    served_on: datetime.date
    received_by: str


class NoticeRow(BaseModel):
    id: int
    type: str
    number: str
    enterprise_id: int
    enterprise_name: str
    issued_on: datetime.date
    deadline: datetime.date
    served_on: datetime.date | None


class NoticeOut(NoticeRow):
    year: int
    seq: int
    visit_id: int | None
    hazard_ids: list[int]
    issued_by_id: int
    issued_by_name: str
    requirements: str
    received_by: str
    docx: str
    pdf: str


def row(n: Notice) -> dict[str, Any]:
    return {
        "id": n.pk,
        "type": n.type,
        "number": n.number,
        "enterprise_id": n.enterprise_id,
        "enterprise_name": n.enterprise.name,
        "issued_on": n.issued_on,
        "deadline": n.deadline,
        "served_on": n.served_on,
    }


def detail(n: Notice) -> dict[str, Any]:
    return {
        **row(n),
        "year": n.year,
        "seq": n.seq,
        "visit_id": n.visit_id,
        "hazard_ids": sorted(h.pk for h in n.hazards.all()),
        "issued_by_id": n.issued_by_id,
        "issued_by_name": str(n.issued_by),
        "requirements": n.requirements,
        "received_by": n.received_by,
        "docx": f"/api/v1/notices/{n.pk}.docx",
        "pdf": f"/api/v1/notices/{n.pk}.pdf",
    }


@router.get("/notices", response={200: ListOut[NoticeRow], **errors(400, 401, 422)})
def list_notices(
    request: AuthedRequest,
    filters: Query[NoticeQuery],
    cursor: str | None = None,
    limit: int = 50,
    with_count: bool = False,
) -> dict[str, Any]:
    """Notices to the enterprises in your scope, newest first; filters as on the notice
    list page (`state=unserved`: issued and not yet served)."""
    form, qs = filtered_notices(filters.dict(exclude_none=True), request.user)
    if qs is None:
        raise InputError(form_errors(form))
    page = keyset_page(
        qs.select_related("enterprise"),
        key="issued_on",
        descending=True,
        cursor=cursor,
        limit=limit,
        with_count=with_count,
    )
    return list_payload(page, [row(n) for n in page.items])


@router.post("/notices", response={201: NoticeOut, **errors(401, 403, 404, 422)})
def create_notice(request: AuthedRequest, payload: NoticeIn) -> Status[dict[str, Any]]:
    """Issue a numbered notice (e.g. 安监责改〔2026〕第12号). Hazards you cannot see are not
    found; hazards of two enterprises, closed hazards or a past deadline are 422."""
    user = request.user
    if (payload.visit is None) == (not payload.hazards):
        raise InputError(
            [{"field": "hazards", "message": _("Give either a visit or hazards, not both.")}]
        )
    source: Any
    if payload.visit is not None:
        source = Visit.objects.visible_to(user).filter(pk=payload.visit).first()
        if source is None:
            raise Http404("visit")
    else:
        source = payload.hazards
    notice = notices.issue_notice(
        source,
        by=user,
        type=payload.type,
        deadline=payload.deadline,
        requirements=payload.requirements,
        issued_on=payload.issued_on,
    )
    return Status(201, detail(Notice.objects.get_for(user, notice.pk)))


@router.get("/notices/{int:notice_id}", response={200: NoticeOut, **errors(401, 404)})
def get_notice(request: AuthedRequest, notice_id: int) -> dict[str, Any]:
    return detail(Notice.objects.get_for(request.user, notice_id))


@router.post(
    "/notices/{int:notice_id}/service", response={200: NoticeOut, **errors(401, 403, 404, 422)}
)
def serve(request: AuthedRequest, notice_id: int, payload: ServeIn) -> dict[str, Any]:
    """Record the service of the notice and who signed for it (送达 / 签收)."""
    notice = Notice.objects.get_for(request.user, notice_id)
    notices.serve_notice(
        notice, served_on=payload.served_on, received_by=payload.received_by, by=request.user
    )
    return detail(Notice.objects.get_for(request.user, notice_id))


def _document(request: AuthedRequest, notice_id: int, kind: str) -> HttpResponse:
    notice = Notice.objects.get_for(request.user, notice_id)
    try:
        return document_response(notice, kind)
    except FontMissing as exc:
        raise HttpError(503, str(exc)) from exc


@router.get(
    "/notices/{int:notice_id}.docx",
    response={200: None, **errors(401, 404)},
    openapi_extra={"responses": {"200": {"description": "The notice as a Word document."}}},
)
def get_docx(request: AuthedRequest, notice_id: int) -> HttpResponse:
    """The notice as a Word document (.docx)."""
    return _document(request, notice_id, "docx")


@router.get(
    "/notices/{int:notice_id}.pdf",
    response={200: None, **errors(401, 404, 503)},
    openapi_extra={"responses": {"200": {"description": "The notice as a PDF document."}}},
)
def get_pdf(request: AuthedRequest, notice_id: int) -> HttpResponse:
    """The notice as a PDF with its Chinese font embedded; 503 if the server has no
    Chinese font installed."""
    return _document(request, notice_id, "pdf")
