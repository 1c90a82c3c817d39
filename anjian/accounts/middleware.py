import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseBase

# Where a session keeps the moment (epoch seconds) it was last seen in use.
SEEN = "anjian.seen"
# How stale that moment may grow before it is written again: a session is not saved on
# every request, and the idle limit is kept to within this.
SEEN_EVERY_SECONDS = 60


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


class IdleSessionMiddleware:
    """A browser session left unused for SESSION_IDLE_MINUTES is signed out: the next page
    asks for the password again (a shared office computer, a phone left on a desk).
    SESSION_COOKIE_AGE caps a session however busy. Bearer tokens have their own expiry."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(SEEN)
            if isinstance(seen, int) and now - seen > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
            elif not isinstance(seen, int) or now - seen >= SEEN_EVERY_SECONDS:
                request.session[SEEN] = now
        return self.get_response(request)


def seen_at_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Signing in is use: the session starts marked (user_logged_in), so its first page does
    not write it again."""
    if hasattr(request, "session"):
        request.session[SEEN] = int(time.time())
