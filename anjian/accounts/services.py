"""Sign-in with lock-out, and API tokens."""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from anjian.accounts.models import ApiToken, User, hash_token
from anjian.audit.log import record


class LockedOut(Exception):
    """Too many failed sign-ins: the account is locked for `minutes` more."""

    def __init__(self, minutes: int) -> None:
        super().__init__(minutes)
        self.minutes = minutes


class BadCredentials(Exception):
    """Unknown user or wrong password (never says which)."""


def sign_in(request: HttpRequest | None, username: str, password: str) -> User:
    """Check a username and password, counting failures and locking the account."""
    account = User.objects.filter(username=username).first()
    now = timezone.now()
    if account is not None and account.locked_until and account.locked_until > now:
        raise LockedOut(_minutes_left(account.locked_until, now))
    user = authenticate(request, username=username, password=password)
    if user is None:
        if account is not None:
            _count_failure(account, now)
        raise BadCredentials
    assert isinstance(user, User)
    if user.failed_logins or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    return user


def _count_failure(account: User, now: datetime.datetime) -> None:
    with transaction.atomic():
        User.objects.filter(pk=account.pk).update(failed_logins=F("failed_logins") + 1)
        failures = User.objects.values_list("failed_logins", flat=True).get(pk=account.pk)
        if failures >= settings.LOGIN_MAX_FAILURES:
            until = now + datetime.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
            User.objects.filter(pk=account.pk).update(failed_logins=0, locked_until=until)
            record(None, "user.locked", account, changes={"locked_until": until.isoformat()})
    if failures >= settings.LOGIN_MAX_FAILURES:
        raise LockedOut(settings.LOGIN_LOCK_MINUTES)


def _minutes_left(until: datetime.datetime, now: datetime.datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 60))


@transaction.atomic
def issue_token(user: User, *, name: str = "") -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and only its hash is kept."""
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(
        user=user, name=name[:100], digest=hash_token(raw), prefix=raw[:8]
    )
    record(user, "token.create", token)
    return token, raw


@transaction.atomic
def revoke_token(token: ApiToken, *, by: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(by, "token.revoke", token)


def user_for_token(raw: str) -> User | None:
    token = ApiToken.objects.live().select_related("user").filter(digest=hash_token(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Touch at most once a minute: a busy device should not write on every request.
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
