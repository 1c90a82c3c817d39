"""Signing in and out, in the audit trail: every door that signs a person in (the sign-in
page, the token endpoint, the admin site) goes through Django's authenticate() and login(),
whose signals land here. The client's address and user agent come with each entry
(audit.middleware)."""

from __future__ import annotations

from typing import Any

from anjian.accounts.models import User
from anjian.audit.log import record


def _from_a_client(request: Any) -> bool:
    """A sign-in through a door someone walked through: a request with a client address.
    (A test's force_login and a shell's login() have none.)"""
    return bool(request is not None and request.META.get("REMOTE_ADDR"))


def signed_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    if _from_a_client(request):
        record(user, "user.sign_in", user)


def signed_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None and _from_a_client(request):
        record(user, "user.sign_out", user)


def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    """A failed sign-in to a known account (an unknown username has no account to file it
    under; the lock-out counts those apart)."""
    if not _from_a_client(request):
        return
    username = str(credentials.get("username") or "")[:150]
    account = User.objects.filter(username=username).first() if username else None
    if account is not None:
        record(None, "user.sign_in_failed", account)
