"""/api/v1/enterprises: the registry's second face, calling the same forms and functions."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import BaseModel

from anjian.accounts.permissions import can
from anjian.accounts.typing import AuthedRequest
from anjian.enterprises import exporting, importing, services
from anjian.enterprises.filters import EnterpriseFilter, FilterQuery
from anjian.enterprises.forms import EnterpriseForm
from anjian.enterprises.models import Enterprise, EnterpriseTag
from anjian.enterprises.workflow import TransitionError, change_status
from anjian.imports.endpoints import ReportOut, api_import
from anjian.lib.api import InputError, ListOut, errors, form_errors, list_payload
from anjian.lib.errors import NotAllowed
from anjian.lib.http import XLSX
from anjian.lib.paging import keyset_page

router = Router(tags=["enterprises"])


class Named(BaseModel):
    id: int
    name: str


class SafetyManagerIO(Schema):
    name: str
    phone: str = ""


class EnterpriseListItem(BaseModel):
    """A registry row. Plain pydantic (not ninja Schema) keeps list output cheap."""

    id: int
    name: str
    uscc: str
    address: str
    grid: Named
    office: Named
    sector: str
    risk_class: str
    scale: str
    status: str
    tags: list[str]


class EnterpriseOut(EnterpriseListItem):
    legal_representative: str
    principal: str
    principal_phone: str
    latitude: Decimal | None
    longitude: Decimal | None
    village: Named
    zone_id: int
    industry_code: str
    employees: int | None
    competent_department: Named | None
    standardization_grade: str
    standardization_expires_on: datetime.date | None
    kind: str
    landlord: Named | None
    tenants: list[Named]
    safety_managers: list[SafetyManagerIO]
    status_since: datetime.date | None
    status_reason: str
    version: int


class EnterpriseIn(Schema):
    name: str
    grid: int
    sector: str
    uscc: str = ""
    legal_representative: str = ""
    principal: str = ""
    principal_phone: str = ""
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    industry_code: str = ""
    employees: int | None = None
    scale: str = ""
    competent_department: int | None = None
    risk_class: str = ""
    standardization_grade: str = ""
    standardization_expires_on: datetime.date | None = None
    kind: str = "ordinary"
    landlord: int | None = None
    tags: list[str] = []
    safety_managers: list[SafetyManagerIO] = []


class EnterprisePatch(Schema):
    """Only the fields sent are changed. `version` is the one you read (stale → 409)."""

    version: int
    name: str | None = None
    grid: int | None = None
    sector: str | None = None
    uscc: str | None = None
    legal_representative: str | None = None
    principal: str | None = None
    principal_phone: str | None = None
    address: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    industry_code: str | None = None
    employees: int | None = None
    scale: str | None = None
    competent_department: int | None = None
    risk_class: str | None = None
    standardization_grade: str | None = None
    standardization_expires_on: datetime.date | None = None
    kind: str | None = None
    landlord: int | None = None
    tags: list[str] | None = None
    safety_managers: list[SafetyManagerIO] | None = None


class StatusIn(Schema):
    to: str
    effective_on: datetime.date
    reason: str
    version: int | None = None


def _named(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def list_item(e: Enterprise) -> dict[str, Any]:
    return {
        "id": e.pk,
        "name": e.name,
        "uscc": e.uscc,
        "address": e.address,
        "grid": _named(e.grid),
        "office": _named(e.office),
        "sector": e.sector,
        "risk_class": e.risk_class,
        "scale": e.scale,
        "status": e.status,
        "tags": [t.tag for t in e.tags.all()],
    }


def detail(e: Enterprise) -> dict[str, Any]:
    return {
        **list_item(e),
        **{
            f: getattr(e, f)
            for f in (
                "legal_representative",
                "principal",
                "principal_phone",
                "latitude",
                "longitude",
                "zone_id",
                "industry_code",
                "employees",
                "standardization_grade",
                "standardization_expires_on",
                "kind",
                "status_since",
                "status_reason",
                "version",
            )
        },
        "village": _named(e.village),
        "competent_department": _named(e.competent_department),
        "landlord": _named(e.landlord),
        "tenants": [_named(t) for t in e.tenants.order_by("name")],
        "safety_managers": [{"name": m.name, "phone": m.phone} for m in e.safety_managers.all()],
    }


def filtered(request: AuthedRequest, filters: FilterQuery) -> Any:
    form = EnterpriseFilter(filters.dict(exclude_none=True), user=request.user)
    if not form.is_valid():
        raise InputError(form_errors(form))
    return form.apply(Enterprise.objects.visible_to(request.user))


@router.get("", response={200: ListOut[EnterpriseListItem], **errors(400, 401, 422)})
def list_enterprises(
    request: AuthedRequest,
    filters: Query[FilterQuery],
    cursor: str | None = None,
    limit: int = 50,
    with_count: bool = False,
) -> dict[str, Any]:
    """The registry in your scope, by name; filters as on the list page."""
    rows = filtered(request, filters).values(*LIST_COLUMNS)
    page = keyset_page(rows, key="name", cursor=cursor, limit=limit, with_count=with_count)
    tags: dict[int, list[str]] = {}
    for enterprise_id, tag in EnterpriseTag.objects.filter(
        enterprise_id__in=[r["id"] for r in page.items]
    ).values_list("enterprise_id", "tag"):
        tags.setdefault(enterprise_id, []).append(tag)
    return list_payload(page, [list_row(r, tags.get(r["id"], [])) for r in page.items])


# Rows of the list are read as values: model instances with their related rows cost ~3 ms a
# page more (PERFORMANCE.md, lesson 3).
LIST_COLUMNS = ["id", "name", "uscc", "address", "grid_id", "grid__name", "office_id",
                "office__name", "sector", "risk_class", "scale", "status"]  # fmt: skip


def list_row(r: dict[str, Any], tags: list[str]) -> dict[str, Any]:
    return {
        **{
            k: r[k]
            for k in ("id", "name", "uscc", "address", "sector", "risk_class", "scale", "status")
        },
        "grid": {"id": r["grid_id"], "name": r["grid__name"]},
        "office": {"id": r["office_id"], "name": r["office__name"]},
        "tags": tags,
    }


def _form_data(request: AuthedRequest, enterprise: Enterprise) -> dict[str, Any]:
    """The enterprise as form input, so a PATCH validates the whole record it produces."""
    form = EnterpriseForm(instance=enterprise, user=request.user)
    return {name: form[name].value() for name in form.fields if name != "version"} | {
        "safety_managers": form.initial["safety_managers"],
    }


def _validated(
    request: AuthedRequest, data: dict[str, Any], instance: Enterprise | None = None
) -> dict[str, Any]:
    data = {
        k: ([m if isinstance(m, dict) else dict(m) for m in v] if k == "safety_managers" else v)
        for k, v in data.items()
    }
    form = EnterpriseForm(data, instance=instance, user=request.user)
    if not form.is_valid():
        raise InputError(form_errors(form))
    return form.cleaned_data


@router.post("", response={201: EnterpriseOut, **errors(401, 403, 422)})
def create(request: AuthedRequest, payload: EnterpriseIn) -> Status[dict[str, Any]]:
    """Register an enterprise in a grid you can see."""
    if not can(request.user, "registry.edit"):
        raise NotAllowed("registry.edit")
    cleaned = _validated(request, payload.dict())
    enterprise = services.create_enterprise(cleaned, by=request.user)
    return Status(201, detail(services.get_enterprise_for(request.user, enterprise.pk)))


@router.get("/{int:enterprise_id}", response={200: EnterpriseOut, **errors(401, 404)})
def get(request: AuthedRequest, enterprise_id: int) -> dict[str, Any]:
    """One enterprise's file."""
    return detail(services.get_enterprise_for(request.user, enterprise_id))


@router.patch(
    "/{int:enterprise_id}", response={200: EnterpriseOut, **errors(401, 403, 404, 409, 422)}
)
def patch(request: AuthedRequest, enterprise_id: int, payload: EnterprisePatch) -> dict[str, Any]:
    """Change the fields sent; send the `version` you read."""
    user = request.user
    enterprise = services.get_enterprise_for(user, enterprise_id, write=True)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    cleaned = _validated(request, _form_data(request, enterprise) | changes, instance=enterprise)
    sent = {k: v for k, v in cleaned.items() if k in changes}
    services.update_enterprise(enterprise, sent, by=user, version=version)
    return detail(services.get_enterprise_for(user, enterprise_id))


@router.post(
    "/{int:enterprise_id}/status", response={200: EnterpriseOut, **errors(401, 403, 404, 409, 422)}
)
def set_status(request: AuthedRequest, enterprise_id: int, payload: StatusIn) -> dict[str, Any]:
    """Record that an enterprise was suspended, shut, closed, moved or reopened."""
    user = request.user
    enterprise = services.get_enterprise_for(user, enterprise_id)
    try:
        change_status(
            enterprise,
            payload.to,
            on=payload.effective_on,
            reason=payload.reason,
            by=user,
            version=payload.version,
        )
    except TransitionError as exc:
        raise InputError([{"field": exc.field, "message": str(exc)}]) from exc
    return detail(services.get_enterprise_for(user, enterprise_id))


class DuplicateOut(Schema):
    row: int
    uscc: str
    name: str
    existing_id: int
    existing_name: str


class ImportReportOut(ReportOut):
    duplicates: list[DuplicateOut]
    updated: int


class ImportRejectedOut(Schema):
    detail: str
    errors: list[dict[str, str]]
    report: ImportReportOut


@router.post("/import", response={200: ImportReportOut, 422: ImportRejectedOut, **errors(401, 403)})
def import_file(
    request: AuthedRequest,
    file: File[UploadedFile],
    commit: Form[bool] = False,
    on_duplicate: Form[str | None] = None,
) -> Any:
    """Check a registry file (`commit=false`, the default) or import it all-or-nothing.

    With `commit=true`, any bad row, or duplicates without `on_duplicate` = `update` | `skip`,
    refuses the whole file with 422 and the report; nothing is written.
    """
    return api_import(
        importing,
        "registry.import",
        request.user,
        file.read(),
        file.name or "",
        commit=commit,
        on_duplicate=on_duplicate,
        choices=("update", "skip"),
    )


@router.get(
    "/export",
    response={200: None, **errors(401, 422)},
    openapi_extra={"responses": {200: {"description": "xlsx workbook", "content": {XLSX: {}}}}},
)
def export(request: AuthedRequest, filters: Query[FilterQuery]) -> HttpResponse:
    """The filtered registry as an xlsx workbook (the import template's columns)."""
    response = HttpResponse(exporting.export_xlsx(filtered(request, filters)), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename=enterprises.xlsx"
    return response
