"""The root of /api/v1/: routers from each app, and one translation of errors to JSON."""

from __future__ import annotations

from typing import Any

import orjson
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import Operation
from ninja.renderers import BaseRenderer

from anjian.accounts.api import me_router
from anjian.accounts.api import router as accounts_router
from anjian.accounts.auth import AUTH
from anjian.checklists.api import router as checklists_router
from anjian.coverage.api import router as coverage_router
from anjian.dashboard.api import router as dashboard_router
from anjian.draws.api import router as draws_router
from anjian.enforcement.api import router as enforcement_router
from anjian.enterprises.api import router as enterprises_router
from anjian.evidence.api import router as evidence_router
from anjian.fieldwork.api import router as fieldwork_router
from anjian.hazards.api import router as hazards_router
from anjian.jobs.api import router as jobs_router
from anjian.lib.api import InputError
from anjian.lib.errors import Conflict, InvalidInput, NotAllowed
from anjian.lib.paging import BadCursor
from anjian.notifications.api import router as notifications_router
from anjian.regions.api import router as regions_router
from anjian.statistics.api import router as statistics_router


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return orjson.dumps(data, default=str)


# Where each view's module was when its operationId was first published. An operationId is
# part of the API's contract (clients are generated from the OpenAPI document and name their
# methods after it), and django-ninja derives it from the view's module: a view that moves
# keeps the id it was published with.
PUBLISHED_MODULES = {
    "anjian.coverage.api": "anjian.fieldwork.coverage_api",
    "anjian.draws.api": "anjian.fieldwork.draw_api",
    "anjian.enforcement.api": "anjian.hazards.notice_api",
    "anjian.evidence.api": "anjian.fieldwork.api",
    "anjian.hazards.exporting.api": "anjian.hazards.export_api",
    "anjian.hazards.importing.api": "anjian.hazards.import_api",
    "anjian.statistics.api": "anjian.hazards.export_api",
}


class API(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        module = operation.view_func.__module__
        published = PUBLISHED_MODULES.get(module, module)
        return f"{published}_{operation.view_func.__name__}".replace(".", "_")


api = API(
    title="anjian API",
    version="1",
    description="安监 work-safety supervision platform. Lists return "
    '`{"items": [...], "next": cursor|null}` and `"count"` with `?with_count=true`.',
    auth=AUTH,
    renderer=ORJSONRenderer(),
    urls_namespace="api",
)
api.add_router("/auth", accounts_router)
api.add_router("/", me_router)
api.add_router("/", regions_router)
api.add_router("/enterprises", enterprises_router)
api.add_router("/checklists", checklists_router)
api.add_router("/hazards", hazards_router)
api.add_router("/", evidence_router)
api.add_router("/", fieldwork_router)
api.add_router("/draws", draws_router)
api.add_router("/coverage", coverage_router)
api.add_router("/notifications", notifications_router)
api.add_router("/", enforcement_router)
api.add_router("/jobs", jobs_router)
api.add_router("/", statistics_router)
api.add_router("/", dashboard_router)


def _error(request: HttpRequest, status: int, detail: str, errs: Any = ()) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": list(errs)}, status=status)


@api.exception_handler(NinjaValidationError)
def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errs = []
    for e in exc.errors:
        loc = [str(p) for p in e.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "form", "file", "header", "cookie"):
            # Where the value came from, not a field: `file.file` would name the file twice.
            loc = loc[1:]
        if len(loc) > 1 and loc[0] == "payload":
            # The body's parameter name is ours, not the client's: name the field they sent.
            loc = loc[1:]
        errs.append({"field": ".".join(loc) or "__all__", "message": e.get("msg", "")})
    return _error(request, 422, _("The input is not valid."), errs)


@api.exception_handler(InputError)
def on_input(request: HttpRequest, exc: InputError) -> HttpResponse:
    return _error(request, 422, _("The input is not valid."), exc.errors)


@api.exception_handler(InvalidInput)
def on_invalid(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    return _error(
        request, 422, _("The input is not valid."), [{"field": exc.field, "message": str(exc)}]
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Not found."))


@api.exception_handler(NotAllowed)
def on_not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
    return _error(request, 403, exc.message or _("Your role may not do this."))


@api.exception_handler(Conflict)
def on_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return _error(
        request,
        409,
        _("Someone else changed this record first. Reload it and try again."),
        [{"field": "version", "message": str(exc)}],
    )


@api.exception_handler(BadCursor)
def on_bad_cursor(request: HttpRequest, exc: BadCursor) -> HttpResponse:
    return _error(
        request,
        400,
        _("The cursor is not valid."),
        [{"field": "cursor", "message": _("Use the `next` value of a previous page.")}],
    )


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, _("Sign in or send a bearer token."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))
