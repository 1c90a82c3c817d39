"""Page access by capability. The table of who holds what is accounts.permissions'; a page
asks the signed-in user (`user.can(capability)`), as Django's own decorators ask
`user.has_perm()`."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from anjian.lib.scoping import holds

# Any response: streamed downloads (FileResponse, StreamingHttpResponse) are not HttpResponses.
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def requires(capability: str) -> Callable[[View], View]:
    """Refuse a page to roles without `capability` (scope is still the lookup's job)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not holds(request.user, capability):
                raise PermissionDenied(capability)
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator
