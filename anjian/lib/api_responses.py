"""What every answer under /api/ holds to, whoever gives it: the API's routers, Django before
them (a path no route or converter takes, a method a route does not serve, a body too large)
or after them (an exception: 500).

- Every error is JSON in the API's one shape, `{"detail": ..., "errors": [...]}` (ErrorOut):
  a program reading the API never has to parse an HTML page.
- Nothing is kept by a cache on the way (`Cache-Control: no-store`): the answers hold
  people's records and are read under the reader's permissions.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

import orjson
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy
from django.views import defaults

API_PREFIX = "/api/"
JSON = "application/json"
# The sentence of an error Django or the server gave without one of the API's own.
DETAILS = {
    400: gettext_lazy("The request could not be read."),
    403: gettext_lazy("You may not do this."),
    404: gettext_lazy("Not found."),
    405: gettext_lazy("This address does not take that method."),
    413: gettext_lazy("The request is too large."),
    500: gettext_lazy("Something went wrong on the server. It has been recorded."),
}
# Headers of an error that say how to go on: kept when its body is replaced.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def error_response(status: int, detail: str) -> HttpResponse:
    body = orjson.dumps({"detail": detail, "errors": []})
    return HttpResponse(body, status=status, content_type=JSON)


class ApiResponsesMiddleware:
    """Outermost, so that it sees the answers Django itself makes (404, 405, 500 pages)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api(request):
            return response
        if response.status_code >= 400 and not _is_json(response):
            status = response.status_code
            detail = DETAILS.get(status) or HTTPStatus(status).phrase
            replaced = error_response(status, str(detail))
            for name in KEPT_HEADERS:
                if name in response:
                    replaced[name] = response[name]
            response = replaced
        patch_cache_control(response, no_store=True)
        return response


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() == JSON


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a body over DATA_UPLOAD_MAX_MEMORY_SIZE is 413 under /api/ (Django answers
    every refused body 400); JSON there, Django's page elsewhere."""
    if not is_api(request):
        return defaults.bad_request(request, exception)
    status = 413 if isinstance(exception, RequestDataTooBig) else 400
    return error_response(status, str(DETAILS[status]))
