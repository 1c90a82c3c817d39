from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseBase


class PagesNeedLoginMiddleware(LoginRequiredMiddleware):
    """Every page needs a signed-in user unless marked `login_not_required`.

    The API answers for itself (401 JSON, bearer tokens), so it is left to its own auth.
    """

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
