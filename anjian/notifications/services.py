"""Reading notifications: look-up with access check, and marking them read.

Marking read is the reader's own bookkeeping, not a change to zone data, so it is not
written to the audit trail.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from anjian.accounts.models import User
from anjian.notifications.models import Notification


def mark_read(notification: Notification, *, by: User) -> Notification:
    """Mark one of `by`'s notifications read (again is a no-op: the first time stays)."""
    if notification.recipient_id != by.pk:
        raise Http404("notification")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(*, by: User) -> int:
    return Notification.objects.visible_to(by).unread().update(read_at=timezone.now())


def mark_seen(shown: list[Notification], *, by: User) -> int:
    """Mark read the unread ones of `by`'s notifications a page has just shown: the list
    is where they are read, so the badge counts only what has not been seen. The shown
    objects keep read_at None, so the page still marks them new this once."""
    unread = [n.pk for n in shown if n.read_at is None]
    if not unread:
        return 0
    return (
        Notification.objects.visible_to(by)
        .unread()
        .filter(pk__in=unread)
        .update(read_at=timezone.now())
    )
