"""/api/v1/auth: tokens, and who am I."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from anjian.accounts.models import ApiToken, Role
from anjian.accounts.permissions import CAPABILITIES, can
from anjian.accounts.scope import scope_of
from anjian.accounts.services import BadCredentials, LockedOut, issue_token, revoke_token, sign_in
from anjian.accounts.typing import AuthedRequest
from anjian.lib.api import ListOut, errors, list_payload
from anjian.lib.paging import keyset_page

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str
    name: str = ""


class TokenOut(Schema):
    token: str
    # After this the token no longer works (settings.API_TOKEN_DAYS from its issue); a
    # password change or a deactivation ends it sooner.
    expires_at: datetime.datetime


class TokenInfo(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    expires_at: datetime.datetime


class MeOut(Schema):
    id: int
    username: str
    name: str
    role: str
    role_label: str
    region_id: int | None
    enterprise_id: int | None
    agency_id: int | None
    department_id: int | None
    grid_ids: list[int]
    capabilities: list[str]


@router.post("/token", auth=None, response={200: TokenOut, **errors(401, 422, 429)})
def create_token(request: AuthedRequest, payload: TokenIn) -> dict[str, object]:
    """Exchange a username and password for a bearer token (shown once) and the moment it
    expires."""
    try:
        user = sign_in(request, payload.username, payload.password)
    except LockedOut as exc:
        raise HttpError(
            429,
            _("Too many failed sign-ins. The account is locked for %(m)d more minutes.")
            % {"m": exc.minutes},
        ) from exc
    except BadCredentials as exc:
        raise HttpError(401, _("Wrong username or password.")) from exc
    token, raw = issue_token(user, name=payload.name or "api")
    return {"token": raw, "expires_at": token.expires_at}


@router.get("/tokens", response={200: ListOut[TokenInfo], **errors(400, 401)})
def list_tokens(
    request: AuthedRequest, cursor: str | None = None, limit: int = 50, with_count: bool = False
) -> dict[str, object]:
    """Your own tokens, newest first (only their first characters are shown)."""
    page = keyset_page(
        ApiToken.objects.visible_to(request.user),
        key="created_at",
        descending=True,
        cursor=cursor,
        limit=limit,
        with_count=with_count,
    )
    return list_payload(page, page.items)


@router.delete("/tokens/{token_id}", response={204: None, **errors(401, 404)})
def delete_token(request: AuthedRequest, token_id: int) -> Status[None]:
    """Revoke one of your tokens; it stops working at once."""
    token = ApiToken.objects.visible_to(request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    revoke_token(token, by=request.user)
    return Status(204, None)


me_router = Router(tags=["auth"])


@me_router.get("/me", response={200: MeOut, **errors(401)})
def me(request: AuthedRequest) -> dict[str, object]:
    """The signed-in user, their role and what they may do."""
    user = request.user
    scope = scope_of(user)
    return {
        "id": user.pk,
        "username": user.username,
        "name": str(user),
        "role": user.role,
        "role_label": str(Role(user.role).label) if user.role else "",
        "region_id": user.region_id,
        "enterprise_id": user.enterprise_id,
        "agency_id": user.agency_id,
        "department_id": user.department_id,
        "grid_ids": sorted(scope.grid_ids or ()),
        "capabilities": sorted(c for c in CAPABILITIES if can(user, c)),
    }
