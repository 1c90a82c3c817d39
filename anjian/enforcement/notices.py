"""Rectification orders and notices (责令限期整改指令书 / 整改通知书): issuing them with a
gapless number, serving them, and the data their documents are rendered from.

Numbers run per type, issuing body (the zone) and year ("安监整改〔2026〕第12号"), taken
from documents.numbering inside the issuing transaction: two officers issuing at once
queue on the counter's lock, and a notice that fails to issue rolls its number back.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.accounts.permissions import can
from anjian.audit.log import record
from anjian.documents import numbering
from anjian.documents.official import chinese_date
from anjian.documents.service import record_service
from anjian.enforcement.events import NoticeIssued
from anjian.enforcement.models import Notice, NoticeType
from anjian.fieldwork.models import Visit
from anjian.hazards.models import OPEN, Hazard
from anjian.lib.errors import InvalidInput, NotAllowed
from anjian.lib.events import publish

# Which capability issues (and serves) each type of document (accounts.permissions).
ISSUE: dict[str, str] = {
    NoticeType.ORDER: "notices.issue_order",
    NoticeType.NOTICE: "notices.issue_notice",
}


class NoticeError(InvalidInput):
    """Input a notice cannot be issued or served with; names the field."""


def types_for(user: User) -> list[str]:
    """The notice types this user may issue (empty: none)."""
    return [t for t, capability in ISSUE.items() if can(user, capability)]


def _hazards_of_visit(visit: Visit, by: User) -> tuple[list[Hazard], int]:
    if not Visit.objects.visible_to(by).filter(pk=visit.pk).exists():
        raise Http404("visit")
    hazards = list(Hazard.objects.visible_to(by).filter(visit=visit).open().order_by("id"))
    if not hazards:
        raise NoticeError(_("This visit has no open hazard to put in a notice."), "visit")
    return hazards, visit.pk


def _chosen_hazards(chosen: Iterable[Hazard | int], by: User) -> tuple[list[Hazard], int | None]:
    ids = {h if isinstance(h, int) else h.pk for h in chosen}
    if not ids:
        raise NoticeError(_("Choose at least one hazard."), "hazards")
    hazards = list(Hazard.objects.visible_to(by).filter(pk__in=ids).order_by("id"))
    if len(hazards) != len(ids):
        raise Http404("hazard")
    for h in hazards:
        if h.status not in OPEN:
            raise NoticeError(
                _("“%(name)s” is closed: a notice orders open hazards rectified.")
                % {"name": h.name},
                "hazards",
            )
    visits = {h.origin_id for h in hazards if h.origin_type_id == _visit_type()}
    return hazards, visits.pop() if len(visits) == 1 else None


def _visit_type() -> int:
    return ContentType.objects.get_for_model(Visit).pk


@transaction.atomic
def issue_notice(
    source: Visit | Iterable[Hazard | int],
    *,
    by: User,
    type: str = NoticeType.ORDER,
    deadline: datetime.date | None = None,
    requirements: str = "",
    issued_on: datetime.date | None = None,
) -> Notice:
    """Issue a numbered notice for the open hazards of a visit, or for chosen hazards.

    All hazards must be of one enterprise and visible to the issuer (others are not found).
    The deadline defaults to the latest of the hazards' deadlines.
    """
    if type not in ISSUE:
        raise NoticeError(_("Unknown type of notice."), "type")
    if not can(by, ISSUE[type]):
        raise NotAllowed(
            "notice.issue",
            _("Only a licensed enforcement officer issues an order to rectify.")
            if type == NoticeType.ORDER
            else "",
        )
    visit_id: int | None
    if isinstance(source, Visit):
        hazards, visit_id = _hazards_of_visit(source, by)
    else:
        hazards, visit_id = _chosen_hazards(source, by)
    if len({h.enterprise_id for h in hazards}) > 1:
        raise NoticeError(_("All hazards in one notice must be of one enterprise."), "hazards")
    today = timezone.localdate()
    issued_on = issued_on or today
    if issued_on > today:
        raise NoticeError(_("A notice cannot be issued on a future day."), "issued_on")
    deadline = deadline or max((h.deadline for h in hazards if h.deadline), default=None)
    if deadline is None:
        raise NoticeError(_("Give the day by which to rectify."), "deadline")
    if deadline < issued_on:
        raise NoticeError(_("The deadline cannot be before the day of issue."), "deadline")
    body_id = hazards[0].zone_id  # the zone's safety office issues it
    seq = numbering.next_seq(type, body_id, issued_on.year)
    notice = Notice.objects.create(
        type=type,
        body_id=body_id,
        year=issued_on.year,
        seq=seq,
        number=numbering.document_number(settings.NOTICE_NUMBER_WORDS[type], issued_on.year, seq),
        enterprise_id=hazards[0].enterprise_id,
        visit_id=visit_id,
        issued_by=by,
        issued_on=issued_on,
        deadline=deadline,
        requirements=requirements.strip(),
    )
    notice.hazards.add(*hazards)
    record(
        by,
        "notice.issue",
        notice,
        changes={"number": notice.number, "hazards": [h.pk for h in hazards]},
        zone_id=body_id,
    )
    publish(NoticeIssued(notice.pk))
    return notice


@transaction.atomic
def serve_notice(notice: Notice, *, served_on: datetime.date, received_by: str, by: User) -> Notice:
    """Record that the notice was served and who signed for it (送达 / 签收)."""
    locked = Notice.objects.visible_to(by).select_for_update().filter(pk=notice.pk).first()
    if locked is None:
        raise Http404("notice")
    if not can(by, ISSUE[locked.type]):
        raise NotAllowed("notice.serve")
    record_service(locked, served_on=served_on, received_by=received_by, by=by, error=NoticeError)
    notice.served_on, notice.received_by = locked.served_on, locked.received_by
    return notice


# --- the document's data -------------------------------------------------------------------


@dataclass(frozen=True)
class HazardLine:
    name: str
    location: str
    basis: str
    measures: str
    deadline: datetime.date | None


@dataclass(frozen=True)
class NoticeData:
    """Everything printed on the document, as plain values (the renderers touch no model)."""

    type: str
    title: str
    number: str
    authority: str
    enterprise: str
    uscc: str
    address: str
    principal: str
    inspected_on: datetime.date | None
    hazards: list[HazardLine]
    deadline: datetime.date
    requirements: str
    legal_basis: str
    remedy: str
    issuer: str
    certificate_no: str
    issued_on: datetime.date
    served_on: datetime.date | None
    received_by: str
    extra: dict[str, str] = field(default_factory=dict)


# What each type says. The wording of the order follows the national enforcement-document
# form: the legal basis is 安全生产法 第六十五条(三) [V, RULES.md §2.2]; the periods for
# review and suit are those of the 行政复议法 and 行政诉讼法 [M], so they are settings
# (NOTICE_REVIEW_PERIOD, NOTICE_SUIT_PERIOD) filled in when the document is made.
TEXTS: dict[str, dict[str, str]] = {
    NoticeType.ORDER: {
        "title": "责令限期整改指令书",
        "legal_basis": "依据《中华人民共和国安全生产法》第六十五条第一款第（三）项的规定，"
        "现责令你单位于{deadline}前整改完毕，达到有关法律法规规章和标准规定的要求。"
        "由此造成事故的，依法追究有关人员的责任。",
        "remedy": "如果不服本指令，可以依法在{review}内申请行政复议，或者在{suit}内依法"
        "向人民法院提起行政诉讼，但本指令不停止执行，法律另有规定的除外。",
    },
    NoticeType.NOTICE: {
        "title": "隐患整改通知书",
        "legal_basis": "请你单位对上述隐患认真整改，于{deadline}前整改完毕，"
        "并将整改情况书面报送我办。整改期间应采取必要的安全防范措施，防止事故发生。",
        "remedy": "",
    },
}


def notice_data(notice: Notice) -> NoticeData:
    """The document's content from a notice (two queries: the notice's joins and hazards)."""
    n = (
        Notice.objects.select_related("enterprise", "enterprise__zone", "issued_by", "visit")
        .prefetch_related("hazards")
        .get(pk=notice.pk)
    )
    texts = TEXTS[n.type]
    e, issuer = n.enterprise, n.issued_by
    return NoticeData(
        type=n.type,
        title=texts["title"],
        number=n.number,
        authority=settings.NOTICE_AUTHORITY or f"{e.zone.name}安全生产监督管理办公室",
        enterprise=e.name,
        uscc=e.uscc,
        address=e.address,
        principal=e.principal or e.legal_representative,
        inspected_on=n.visit.visited_on if n.visit else None,
        hazards=[
            HazardLine(h.name, h.location, h.basis, h.measures, h.deadline)
            for h in sorted(n.hazards.all(), key=lambda h: h.pk)
        ],
        deadline=n.deadline,
        requirements=n.requirements,
        legal_basis=texts["legal_basis"].format(deadline=chinese_date(n.deadline)),
        remedy=texts["remedy"].format(
            review=settings.NOTICE_REVIEW_PERIOD, suit=settings.NOTICE_SUIT_PERIOD
        ),
        issuer=str(issuer),
        certificate_no=issuer.certificate_no,
        issued_on=n.issued_on,
        served_on=n.served_on,
        received_by=n.received_by,
    )
