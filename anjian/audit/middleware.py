from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from anjian.audit.log import channel
from anjian.audit.models import Channel


class AuditChannelMiddleware:
    """Marks every write made while serving a request as coming from a page or the API."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = Channel.API if request.path.startswith("/api/") else Channel.PAGE
        with channel(name):
            return self.get_response(request)
