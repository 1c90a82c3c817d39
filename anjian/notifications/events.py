"""Who hears about what in a hazard's life: run on commit after each workflow step.

hazards.workflow calls `notify_event` through `transaction.on_commit`, so nobody is told
about a step that was rolled back, and a failure here never undoes the step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from anjian.accounts.models import Role, User
from anjian.hazards.models import Finder, Hazard, HazardEvent, Level
from anjian.notifications.models import Kind, Notification


def enterprise_users(hazard: Hazard) -> QuerySet[User]:
    return User.objects.filter(
        role=Role.ENTERPRISE, is_active=True, enterprise_id=hazard.enterprise_id
    )


def officers_over(hazard: Hazard) -> QuerySet[User]:
    """Officers whose area holds the enterprise: `visible_to` read backwards (an officer's
    area is the zone, an office or a village, and the hazard carries all three)."""
    return User.objects.filter(
        role=Role.OFFICER,
        is_active=True,
        region_id__in=[hazard.zone_id, hazard.office_id, hazard.village_id],
    )


def acceptors(hazard: Hazard) -> QuerySet[User]:
    """Who accepts a submitted rectification: the enterprise for its own general hazards,
    the officers over it for everything else (RULES.md §3.1)."""
    if hazard.finder == Finder.ENTERPRISE and hazard.level == Level.GENERAL:
        return enterprise_users(hazard)
    return officers_over(hazard)


def _text(event: HazardEvent) -> str:
    h = event.hazard
    values = {
        "enterprise": h.enterprise.name,
        "name": h.name,
        "deadline": h.deadline.isoformat() if h.deadline else "",
        "note": event.note,
    }
    action = event.action
    if action == "register":
        if h.deadline:
            return (
                _("New hazard at %(enterprise)s: “%(name)s”, to rectify by %(deadline)s.") % values
            )
        return _("New hazard at %(enterprise)s: “%(name)s”.") % values
    if action in ("reject", "fail_review"):
        return _("The rectification of “%(name)s” was not accepted: %(note)s") % values
    if action == "approve_extension":
        return _("More time granted for “%(name)s”: the deadline is now %(deadline)s.") % values
    if action == "deny_extension":
        return _("More time refused for “%(name)s”: %(note)s") % values
    return _("%(enterprise)s handed in the rectification of “%(name)s” for acceptance.") % values


# action -> (kind, who hears about it)
RULES: dict[str, tuple[str, Callable[[Hazard], QuerySet[User]]]] = {
    "register": (Kind.HAZARD_REGISTERED, enterprise_users),
    "reject": (Kind.HAZARD_REJECTED, enterprise_users),
    "fail_review": (Kind.HAZARD_REJECTED, enterprise_users),
    "approve_extension": (Kind.EXTENSION_DECIDED, enterprise_users),
    "deny_extension": (Kind.EXTENSION_DECIDED, enterprise_users),
    "submit": (Kind.RECTIFICATION_SUBMITTED, acceptors),
    "apply_review": (Kind.RECTIFICATION_SUBMITTED, officers_over),
}


def notify_event(event_id: int) -> int:
    """Write the in-app notifications one hazard event calls for; returns how many.

    Idempotent: a second call for the same event writes nothing (one row per event and
    recipient). The actor is never told about their own step.
    """
    event = (
        HazardEvent.objects.select_related("hazard", "hazard__enterprise")
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.action not in RULES:
        return 0
    kind, audience = RULES[event.action]
    audience_qs = audience(event.hazard)
    if event.actor_id is not None:
        audience_qs = audience_qs.exclude(pk=event.actor_id)
    recipients = audience_qs.values_list("pk", flat=True)
    # Stored in the platform's language: the same words go to every reader and to SMS.
    with translation.override(settings.LANGUAGE_CODE):
        text = _text(event)
    rows = [
        Notification(
            recipient_id=pk,
            kind=kind,
            hazard_id=event.hazard_id,
            event=event,
            text=text,
            created_at=event.at,
        )
        for pk in recipients
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def notify_users(
    users: QuerySet[User] | list[Any], kind: str, text: str, *, link: str = "", by: Any = None
) -> int:
    """Tell each of `users` (but not `by`) something that is not one hazard's event."""
    rows = [
        Notification(recipient_id=u.pk, kind=kind, text=text, link=link)
        for u in users
        if by is None or u.pk != by.pk
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notify_notice(notice_id: int) -> int:
    """Tell the enterprise's users that a notice was issued to them."""
    from anjian.hazards.models import Notice

    notice = Notice.objects.select_related("enterprise").filter(pk=notice_id).first()
    if notice is None:
        return 0
    users = User.objects.filter(
        role=Role.ENTERPRISE, is_active=True, enterprise_id=notice.enterprise_id
    )
    with translation.override(settings.LANGUAGE_CODE):
        text = _("%(type)s %(number)s was issued to %(enterprise)s: rectify by %(deadline)s.") % {
            "type": notice.get_type_display(),
            "number": notice.number,
            "enterprise": notice.enterprise.name,
            "deadline": notice.deadline.isoformat(),
        }
    return notify_users(
        users, Kind.NOTICE_ISSUED, text, link=reverse("notices:detail", args=[notice.pk])
    )
