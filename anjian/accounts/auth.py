"""How API requests sign in: a bearer token for devices and integrations, or the browser's
session for pages that call the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from anjian.accounts.services import user_for_token


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <token>` for devices and integrations."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session (with CSRF on writes), for pages that call the API."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


AUTH = [BearerAuth(), SessionAuth()]
