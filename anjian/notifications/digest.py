"""The daily digest: per enterprise user and per officer, what changed and what is due.

Each person gets at most one digest a day (a DigestRun row claims the day before anything
is sent), so running the job twice, or on two machines at once, sends nothing twice.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anjian.accounts.models import Role, User
from anjian.accounts.scope import with_scope_columns
from anjian.hazards.models import Hazard, HazardEvent, Status
from anjian.notifications.models import DigestRun
from anjian.notifications.senders import Message, Sender, load_senders

logger = logging.getLogger("anjian.notifications")

# How many hazards a section names before it says "and N more".
LIST_LIMIT = 10
REJECTIONS = ("reject", "fail_review")
SECTIONS = ("new", "due_soon", "overdue", "rejected")


@dataclass(frozen=True)
class Line:
    hazard_id: int
    name: str
    enterprise: str
    deadline: datetime.date | None


@dataclass
class Section:
    key: str
    count: int = 0
    lines: list[Line] = field(default_factory=list)


@dataclass
class Digest:
    recipient: User
    on: datetime.date
    sections: dict[str, Section]

    @property
    def items(self) -> int:
        return sum(s.count for s in self.sections.values())

    def message(self) -> Message:
        with translation.override(settings.LANGUAGE_CODE):
            return Message(
                recipient=self.recipient,
                subject=_("Hazard digest for %(date)s") % {"date": self.on.isoformat()},
                body="\n".join(self._body_lines()),
            )

    def _body_lines(self) -> list[str]:
        titles = {
            "new": _("New since the last digest"),
            "due_soon": _("Deadline within %(n)d days") % {"n": settings.NOTIFY_DEADLINE_DAYS},
            "overdue": _("Overdue"),
            "rejected": _("Rectifications not accepted"),
        }
        lines: list[str] = []
        for key in SECTIONS:
            section = self.sections[key]
            if not section.count:
                continue
            lines.append(f"{titles[key]}（{section.count}）")
            deadline = _("deadline")  # outside the f-string: makemessages reads it
            for line in section.lines:
                due = f"（{deadline} {line.deadline.isoformat()}）" if line.deadline else ""
                lines.append(f"- {line.enterprise}：{line.name}{due}")
            if section.count > len(section.lines):
                more = section.count - len(section.lines)
                lines.append(_("… and %(n)d more") % {"n": more})
        return lines


@dataclass
class Summary:
    recipients: int = 0
    sent: int = 0
    empty: int = 0
    already_done: int = 0


def deadline_horizon(on: datetime.date) -> datetime.date:
    """The last deadline that counts as "due soon" (settings.NOTIFY_DEADLINE_DAYS, [L])."""
    return on + datetime.timedelta(days=settings.NOTIFY_DEADLINE_DAYS)


def _line(row: dict[str, Any], prefix: str = "") -> Line:
    return Line(
        hazard_id=row[f"{prefix}id"] if prefix else row["id"],
        name=row[f"{prefix}name"],
        enterprise=row[f"{prefix}enterprise__name"],
        deadline=row[f"{prefix}deadline"],
    )


def _section(key: str, lines: list[Line]) -> Section:
    return Section(key, len(lines), lines[:LIST_LIMIT])


HAZARD_COLUMNS = ("id", "name", "enterprise_id", "enterprise__name", "deadline", "created_at")


def enterprise_digests(
    users: list[User], since: dict[int, datetime.datetime], on: datetime.date
) -> list[Digest]:
    """Digests for enterprise users, from three queries whatever their number."""
    if not users:
        return []
    # A subquery, not a list: thousands of ids would be thousands of SQL parameters.
    enterprise_ids = User.objects.filter(role=Role.ENTERPRISE, is_active=True).values(
        "enterprise_id"
    )
    earliest = min(since[u.pk] for u in users)
    by_enterprise: dict[str, dict[int | None, list[dict[str, Any]]]] = {
        k: defaultdict(list) for k in ("open", "new", "rejected")
    }
    rows = (
        Hazard.objects.open()
        .filter(enterprise_id__in=enterprise_ids, deadline__lte=deadline_horizon(on))
        .order_by("deadline", "id")
        .values(*HAZARD_COLUMNS)
    )
    for r in rows:
        by_enterprise["open"][r["enterprise_id"]].append(r)
    rows = (
        Hazard.objects.filter(
            enterprise_id__in=enterprise_ids, created_at__gte=earliest, imported=False
        )
        .exclude(status=Status.VOID)
        .order_by("-created_at", "-id")
        .values(*HAZARD_COLUMNS)
    )
    for r in rows:
        by_enterprise["new"][r["enterprise_id"]].append(r)
    events = (
        HazardEvent.objects.filter(
            action__in=REJECTIONS, at__gte=earliest, hazard__enterprise_id__in=enterprise_ids
        )
        .order_by("-at", "-id")
        .values("at", *(f"hazard__{c}" for c in HAZARD_COLUMNS))
    )
    for r in events:
        by_enterprise["rejected"][r["hazard__enterprise_id"]].append(r)
    digests = []
    for user in users:
        start, ent = since[user.pk], user.enterprise_id
        open_rows = by_enterprise["open"][ent]
        sections = {
            "new": _section(
                "new", [_line(r) for r in by_enterprise["new"][ent] if r["created_at"] >= start]
            ),
            "due_soon": _section("due_soon", [_line(r) for r in open_rows if r["deadline"] >= on]),
            "overdue": _section("overdue", [_line(r) for r in open_rows if r["deadline"] < on]),
            "rejected": _section(
                "rejected",
                [_line(r, "hazard__") for r in by_enterprise["rejected"][ent] if r["at"] >= start],
            ),
        }
        digests.append(Digest(user, on, sections))
    return digests


def _counted(key: str, qs: QuerySet[Any], prefix: str = "") -> Section:
    columns = [f"{prefix}{c}" for c in HAZARD_COLUMNS]
    return Section(key, qs.count(), [_line(r, prefix) for r in qs.values(*columns)[:LIST_LIMIT]])


def officer_digest(user: User, start: datetime.datetime, on: datetime.date) -> Digest:
    """An officer's digest over their area: a count and the first hazards of each section."""
    scoped = Hazard.objects.visible_to(user)
    open_ = scoped.open().order_by("deadline", "id")
    events = HazardEvent.objects.filter(
        action__in=REJECTIONS, at__gte=start, hazard__in=scoped
    ).order_by("-at", "-id")
    sections = {
        "new": _counted(
            "new",
            scoped.filter(created_at__gte=start, imported=False)
            .exclude(status=Status.VOID)
            .order_by("-created_at", "-id"),
        ),
        "due_soon": _counted(
            "due_soon", open_.filter(deadline__gte=on, deadline__lte=deadline_horizon(on))
        ),
        "overdue": _counted("overdue", open_.filter(deadline__lt=on)),
        "rejected": _counted("rejected", events, "hazard__"),
    }
    return Digest(user, on, sections)


def deliver(digest: Digest, senders: list[Sender]) -> bool | None:
    """Claim the person's day, then send. None: someone else had claimed it already.

    The claim and the in-app row commit together; email and SMS go after the commit so a
    slow mail server never holds the database's write lock, and a failed sender is logged
    on the run (the digest is not sent again: a second copy is worse than a gap).
    """
    message = digest.message() if digest.items else None
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(
                recipient=digest.recipient, on=digest.on, items=digest.items
            )
            sent, failed = _send(message, [s for s in senders if not s.external])
    except IntegrityError:
        return None
    more_sent, more_failed = _send(message, [s for s in senders if s.external])
    if more_sent or more_failed or sent or failed:
        DigestRun.objects.filter(pk=run.pk).update(
            sent_by=sent + more_sent, failed=failed + more_failed
        )
    return message is not None


def _send(message: Message | None, senders: list[Sender]) -> tuple[list[str], list[str]]:
    sent: list[str] = []
    failed: list[str] = []
    if message is None:
        return sent, failed
    for sender in senders:
        try:
            if sender.send(message):
                sent.append(sender.name)
        except Exception as exc:  # one broken channel must not stop the others
            logger.exception(
                "digest sender %s failed for user %s", sender.name, message.recipient.pk
            )
            failed.append(f"{sender.name}: {exc}"[:200])
    return sent, failed


def recipients(on: datetime.date) -> QuerySet[User]:
    """Enterprise users and officers who have not had this day's digest."""
    done = DigestRun.objects.filter(on=on).values("recipient_id")
    return (
        User.objects.filter(is_active=True, role__in=[Role.ENTERPRISE, Role.OFFICER])
        .exclude(pk__in=done)
        .order_by("id")
    )


def send_digest(on: datetime.date | None = None, *, senders: list[Sender] | None = None) -> Summary:
    """Send the day's digest to everyone who has not had it."""
    on = on or timezone.localdate()
    senders = load_senders() if senders is None else senders
    people_qs = recipients(on)
    # With their regions: each officer's scope then costs no query of its own.
    people = list(with_scope_columns(people_qs))
    last = dict(
        DigestRun.objects.filter(recipient__in=people_qs.values("pk"))
        .values("recipient_id")
        .annotate(last=Max("created_at"))
        .values_list("recipient_id", "last")
    )
    default_start = timezone.now() - datetime.timedelta(days=1)
    since = {u.pk: last.get(u.pk) or default_start for u in people}
    digests = enterprise_digests([u for u in people if u.role == Role.ENTERPRISE], since, on)
    digests += [officer_digest(u, since[u.pk], on) for u in people if u.role == Role.OFFICER]
    summary = Summary(recipients=len(digests))
    for digest in digests:
        outcome = deliver(digest, senders)
        if outcome is None:
            summary.already_done += 1
        elif outcome:
            summary.sent += 1
        else:
            summary.empty += 1
    return summary
