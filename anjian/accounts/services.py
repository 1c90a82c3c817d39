"""Sign-in with lock-out, and API tokens."""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpRequest
from django.utils import timezone

from anjian.accounts.models import ApiToken, User, hash_token
from anjian.accounts.permissions import can
from anjian.accounts.scope import scope_of, with_scope_columns
from anjian.audit.log import plain, record, record_many
from anjian.lib.errors import NotAllowed


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
    # Its expiry is the column's default (models.token_expiry: API_TOKEN_DAYS from now).
    token = ApiToken.objects.create(
        user=user, name=name[:100], digest=hash_token(raw), prefix=raw[:8]
    )
    record(user, "token.create", token)
    return token, raw


def revoke_all_tokens(user: User, *, by: User, why: str) -> int:
    """End every live token of `user` (their password changed, their account deactivated):
    a device signed in with the old password signs in again. The count revoked."""
    live = list(ApiToken.objects.live().filter(user=user))
    ApiToken.objects.filter(pk__in=[t.pk for t in live]).update(revoked_at=timezone.now())
    record_many(by, "token.revoke", [(token, {"why": [None, why]}) for token in live])
    return len(live)


@transaction.atomic
def revoke_token(token: ApiToken, *, by: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(by, "token.revoke", token)


def user_for_token(raw: str) -> User | None:
    """The active owner of a live token, or None. One query: the token, its user and what
    the user's scope is made of (accounts.scope.with_scope_columns); no session is read."""
    live = ApiToken.objects.live().filter(digest=hash_token(raw))
    found = list(with_scope_columns(live.select_related("user"), via="user")[:1])
    if not found or not found[0].user.is_active or found[0].user.is_locked():
        return None
    token = found[0]
    now = timezone.now()
    # Touch at most once a minute: a busy device should not write on every request.
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- people, managed by the zone admin ---------------------------------------------------------

PERSON_FIELDS = [
    "display_name",
    "phone",
    "role",
    "region",
    "enterprise",
    "agency",
    "department",
    "certificate_no",
]


def _person_snapshot(person: User) -> dict[str, object]:
    return {f: getattr(person, f) for f in [*PERSON_FIELDS, "is_active"]}


@transaction.atomic
def create_person(data: dict[str, object], *, password: str, by: User) -> User:
    """Open an account in the admin's zone (data is PersonForm.cleaned_data)."""
    if not can(by, "people.manage"):
        raise NotAllowed("people.manage")
    person = User(username=str(data["username"]), zone_id=scope_of(by).zone_id)
    for f in PERSON_FIELDS:
        setattr(
            person,
            f,
            data.get(f)
            or ("" if f in ("display_name", "phone", "role", "certificate_no") else None),
        )
    validate_password(password, person)
    person.set_password(password)
    person.save()
    record(
        by,
        "person.create",
        person,
        changes={k: [None, v] for k, v in _plain(_person_snapshot(person)).items()},
    )
    return person


@transaction.atomic
def update_person(person: User, data: dict[str, object], *, by: User) -> User:
    locked = User.objects.visible_to(by).select_for_update().filter(pk=person.pk).first()
    if locked is None:
        raise Http404("person")
    before = _plain(_person_snapshot(locked))
    for f in PERSON_FIELDS:
        if f in data:
            setattr(
                locked,
                f,
                data[f]
                if data[f] is not None
                else ("" if f in ("display_name", "phone", "role", "certificate_no") else None),
            )
    deactivated = "is_active" in data and locked.is_active and not data["is_active"]
    if "is_active" in data:
        locked.is_active = bool(data["is_active"])
    locked.save()
    if deactivated:
        revoke_all_tokens(locked, by=by, why="deactivated")
    after = _plain(_person_snapshot(locked))
    record(
        by,
        "person.update",
        locked,
        changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
    )
    return locked


@transaction.atomic
def set_password(person: User, password: str, *, by: User) -> None:
    """A zone admin sets a new password (e.g. the person forgot theirs); it also unlocks."""
    locked = User.objects.visible_to(by).select_for_update().filter(pk=person.pk).first()
    if locked is None:
        raise Http404("person")
    validate_password(password, locked)
    locked.set_password(password)
    locked.failed_logins, locked.locked_until = 0, None
    locked.save(update_fields=["password", "failed_logins", "locked_until"])
    record(by, "person.password", locked, changes={"password": ["***", "***"]})
    revoke_all_tokens(locked, by=by, why="password")


def _plain(data: dict[str, object]) -> dict[str, object]:
    return {k: plain(v) for k, v in data.items()}
