"""`{% notification_badge %}`: the header link with the unread count."""

from __future__ import annotations

from typing import Any

from django import template

from anjian.accounts.models import Role
from anjian.notifications.models import Notification

register = template.Library()

# The roles that receive notifications. Everyone else gets no badge and, so, no query:
# the header is on every page.
RECEIVING_ROLES = frozenset({Role.ENTERPRISE, Role.OFFICER})


@register.inclusion_tag("notifications/_badge.html", takes_context=True)
def notification_badge(context: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role not in RECEIVING_ROLES:
        return {"show": False}
    # One COUNT over the partial index of unread rows (notif_unread).
    return {"show": True, "unread": Notification.objects.visible_to(user).unread().count()}
