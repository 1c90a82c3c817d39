import ipaddress
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from anjian.audit.log import channel, client
from anjian.audit.models import Channel


class AuditChannelMiddleware:
    """Marks every write made while serving a request as coming from a page or the API, and
    from which client (its address and user agent)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = Channel.API if request.path.startswith("/api/") else Channel.PAGE
        with channel(name), client(client_address(request), request.headers.get("User-Agent", "")):
            return self.get_response(request)


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR when it is an address (behind a proxy, the proxy's unless it passes the
    client's on as REMOTE_ADDR)."""
    address = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
