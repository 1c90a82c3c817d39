"""Who hears about what: listeners of what the workflows publish (anjian.lib.events).

Connected in NotificationsConfig.ready(). They run on commit, so nobody is told about a step
that was rolled back, and a failure here never undoes the step. Who is told of each hazard
step is the hazard workflow's to say (hazards.workflow.TOLD); what they are told is said here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.accounts.scope import enterprise_staff
from anjian.enforcement.events import NoticeIssued
from anjian.enforcement.models import Notice
from anjian.hazards import workflow
from anjian.hazards.events import HazardStepTaken
from anjian.hazards.models import HazardEvent
from anjian.lib.events import listen
from anjian.notifications.models import Kind, Notification


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


# step -> the kind of notification it makes
KINDS: dict[str, str] = {
    "register": Kind.HAZARD_REGISTERED,
    "reject": Kind.HAZARD_REJECTED,
    "fail_review": Kind.HAZARD_REJECTED,
    "approve_extension": Kind.EXTENSION_DECIDED,
    "deny_extension": Kind.EXTENSION_DECIDED,
    "submit": Kind.RECTIFICATION_SUBMITTED,
    "apply_review": Kind.RECTIFICATION_SUBMITTED,
}


@listen(HazardStepTaken)
def on_hazard_step(step: HazardStepTaken) -> int:
    return notify_event(step.event_id)


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
    if event is None or event.action not in KINDS:
        return 0
    kind = KINDS[event.action]
    audience_qs = workflow.told(event.hazard, event.action)
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


@listen(NoticeIssued)
def on_notice_issued(issued: NoticeIssued) -> int:
    return notify_notice(issued.notice_id)


def notify_notice(notice_id: int) -> int:
    """Tell the enterprise's users that a notice was issued to them."""
    notice = Notice.objects.select_related("enterprise").filter(pk=notice_id).first()
    if notice is None:
        return 0
    users = enterprise_staff(notice.enterprise_id)
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
