"""/api/v1/notifications: your notifications, and marking one read."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Router
from pydantic import BaseModel

from anjian.accounts.typing import AuthedRequest
from anjian.lib.api import ListOut, errors, list_payload
from anjian.lib.paging import keyset_page
from anjian.notifications import services
from anjian.notifications.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(BaseModel):
    id: int
    kind: str
    text: str
    hazard_id: int | None
    link: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


def out(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "text": n.text,
        "hazard_id": n.hazard_id,
        "link": n.target,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


@router.get("", response={200: ListOut[NotificationOut], **errors(400, 401)})
def list_notifications(
    request: AuthedRequest,
    unread: bool = False,
    cursor: str | None = None,
    limit: int = 50,
    with_count: bool = False,
) -> dict[str, Any]:
    """Your notifications, newest first; `unread=true` for the unread ones only."""
    qs = Notification.objects.visible_to(request.user)
    if unread:
        qs = qs.unread()
    page = keyset_page(
        qs, key="created_at", descending=True, cursor=cursor, limit=limit, with_count=with_count
    )
    return list_payload(page, [out(n) for n in page.items])


@router.post("/{int:notification_id}/read", response={200: NotificationOut, **errors(401, 404)})
def read_notification(request: AuthedRequest, notification_id: int) -> dict[str, Any]:
    """Mark one of your notifications read; someone else's is not found."""
    notification = Notification.objects.get_for(request.user, notification_id)
    return out(services.mark_read(notification, by=request.user))
