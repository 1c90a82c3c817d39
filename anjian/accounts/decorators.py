from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from anjian.accounts.permissions import can

# Any response: streamed downloads (FileResponse, StreamingHttpResponse) are not HttpResponses.
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def requires(capability: str) -> Callable[[View], View]:
    """Refuse a page to roles without `capability` (scope is still the lookup's job)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not can(request.user, capability):
                raise PermissionDenied(capability)
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator
