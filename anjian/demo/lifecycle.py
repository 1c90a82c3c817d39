"""How each demo hazard lives: registered from a visit, then walked step by step through the
hazard workflow up to now, with the effects hazards.workflow's actions have."""

from __future__ import annotations

import datetime
import hashlib
import random
import struct
import uuid
import zlib
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from anjian.checklists.models import ChecklistItem
from anjian.demo import findings
from anjian.demo.findings import Finding
from anjian.fieldwork.models import Visit, VisitKind
from anjian.fieldwork.services import prefill_from_item
from anjian.hazards.models import Finder, Level, RectifyType, Source, Status
from anjian.hazards.workflow import ACTIONS, DEFAULT_SOURCE, Moment, Taken, register_step, take_step
from anjian.workdays.calendar import Calendar

if TYPE_CHECKING:
    from anjian.demo.activity import Cast, Ent, Plan

K = VisitKind
Row = dict[str, Any]


def _day(moment: datetime.datetime) -> datetime.date:
    """The local date of a moment made in the zone's time zone (as all the loader's are)."""
    return moment.date()


FINDER: dict[str, str] = {
    K.PATROL: Finder.GRID,
    K.INSPECTION: Finder.OFFICER,
    K.DOUBLE_RANDOM: Finder.OFFICER,
    K.EXPERT_CHECK: Finder.EXPERT,
    K.SELF_INSPECTION: Finder.ENTERPRISE,
    K.LIAISON: Finder.LEADER,
}

# Share of hazards fixed on the spot (即查即改), by finder.
IMMEDIATE: dict[str, float] = {
    Finder.GRID: 0.35,
    Finder.OFFICER: 0.25,
    Finder.EXPERT: 0.2,
    Finder.ENTERPRISE: 0.45,
    Finder.LEADER: 0.3,
}

BEFORE_PHOTO: dict[str, float] = {
    Finder.GRID: 0.7,
    Finder.OFFICER: 0.5,
    Finder.EXPERT: 0.6,
    Finder.ENTERPRISE: 0.3,
    Finder.LEADER: 0.4,
}

# Chance that the n-th review of a submitted rectification rejects it.
REJECT_CHANCE = (0.07, 0.2, 0.1, 0.0)
PHOTO_VARIANTS = 6


# --- one hazard's life ------------------------------------------------------------------------


@dataclass(slots=True)
class Step:
    """A step of the timeline (hazards.workflow's Taken) with its photos and place."""

    taken: Taken
    photos: list[Row]
    lat: Decimal | None = None
    lng: Decimal | None = None

    @property
    def action(self) -> str:
        return self.taken.action


class Life:
    """One hazard from its registration up to now, one step at a time, each taken through
    the workflow's own table (hazards.workflow.register_step and take_step). A step dated
    after `now` has not happened yet: it and everything after it are dropped."""

    def __init__(self, hazard: SimpleNamespace, now: datetime.datetime) -> None:
        self.h = hazard  # the hazard row's columns, by attribute name
        self.now = now
        self.steps: list[Step] = []
        self.before: list[Row] = []
        self.after: list[Row] = []
        self.ended = False
        self.last_at = now

    def register(
        self,
        at: datetime.datetime,
        by: int,
        status: str,
        *,
        before: list[Row],
        after: list[Row],
        lat: Decimal | None,
        lng: Decimal | None,
    ) -> None:
        """register_hazard: the first status, and acceptance at once when a fix on the spot
        is accepted by its own finder."""
        h = self.h
        taken = register_step(h, status, Moment(by, at), {"level": h.level, "finder": h.finder})
        h.created_at = at
        self.before, self.after = before, list(after)
        self.steps.append(Step(taken, before + after, lat, lng))
        self.last_at = at

    def take(
        self,
        action: str,
        at: datetime.datetime,
        by: int,
        *,
        note: str = "",
        data: dict[str, Any] | None = None,
        photos: list[Row] | None = None,
    ) -> bool:
        """Take one step; False when it falls after now (the hazard stays where it is)."""
        if self.ended or at > self.now:
            self.ended = True
            return False
        photos = photos or []
        spec = ACTIONS[action]
        # The workflow's own table says whether the step fits the hazard now.
        assert spec.ready is None or spec.ready(self.h), f"{action} not ready"
        taken = take_step(self.h, action, {**(data or {}), "note": note}, Moment(by, at))
        if spec.shows_fix:
            self.after += photos
        self.steps.append(Step(taken, photos))
        self.last_at = at
        return True


# --- placeholder photos -----------------------------------------------------------------------


def _png(width: int, height: int, rgb: tuple[int, int, int], stripe: tuple[int, int, int]) -> bytes:
    rows = []
    for y in range(height):
        colour = stripe if (y // 6) % 4 == 0 else rgb
        rows.append(b"\x00" + bytes(colour) * width)

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


class Photos:
    """Photo rows for the demo's evidence, all pointing at a few placeholder images (the
    grey-red "before" and grey-green "after" pictures are written once to media storage)."""

    def __init__(self, zone_id: int, rng: random.Random) -> None:
        self.zone_id, self.rng = zone_id, rng
        self.files: dict[str, list[tuple[str, int, str]]] = {"before": [], "after": []}
        for kind, base in (("before", (196, 120, 110)), ("after", (120, 176, 128))):
            for n in range(PHOTO_VARIANTS):
                name = f"photos/demo/{kind}-{n + 1}.png"
                if default_storage.exists(name):
                    with default_storage.open(name) as kept:
                        content = kept.read()
                else:
                    content = _png(160, 120, base, (150 + 15 * n, 150, 150))
                    name = default_storage.save(name, ContentFile(content))
                digest = hashlib.sha256(content).hexdigest()
                self.files[kind].append((name, len(content), digest))

    def make(self, kind: str, by: int, at: datetime.datetime, ent: Ent) -> Row:
        name, size, digest = self.rng.choice(self.files[kind])
        return {
            "client_uuid": uuid.UUID(int=self.rng.getrandbits(128), version=4),
            "file": name,
            "content_type": "image/png",
            "size": size,
            "sha256": digest,
            "taken_at": at - datetime.timedelta(minutes=self.rng.randint(1, 30)),
            "latitude": ent.lat,
            "longitude": ent.lng,
            "uploaded_by_id": by,
            "zone_id": self.zone_id,
        }


# --- lifecycles -------------------------------------------------------------------------------


def week_before_holidays(calendar: Calendar) -> frozenset[datetime.date]:
    """The seven days before each holiday begins, when enterprises run their pre-holiday
    checks (节前安全检查)."""
    return frozenset(
        h.first - datetime.timedelta(days=k) for h in calendar.holidays() for k in range(1, 8)
    )


class Lives:
    """Builds each hazard found in a visit and walks it through its workflow up to now."""

    def __init__(
        self,
        cast: Cast,
        calendar: Calendar,
        photos: Photos,
        now: datetime.datetime,
        rng: random.Random,
    ) -> None:
        self.cast, self.calendar, self.photos, self.now, self.rng = cast, calendar, photos, now, rng
        self.before_holiday = week_before_holidays(calendar)
        self.tz = timezone.get_current_timezone()
        # Demo hazards are found on visits (their origin, as record_visit gives it).
        self.visit_type_id = ContentType.objects.get_for_model(Visit).pk
        self._fits: dict[tuple[str, frozenset[str]], tuple[list[Finding], list[float]]] = {}

    # time ----------------------------------------------------------------------------------

    def on(self, day: datetime.date) -> datetime.datetime:
        minute = self.rng.randrange(8 * 60 + 40, 17 * 60 + 20)
        return datetime.datetime(day.year, day.month, day.day, tzinfo=self.tz) + datetime.timedelta(
            minutes=minute, seconds=self.rng.randrange(60)
        )

    def later(self, t: datetime.datetime, days: int, *, workday: bool = True) -> datetime.datetime:
        """A time `days` after t (on a working day when officials act), never before t."""
        day = _day(t) + datetime.timedelta(days=days)
        if workday:
            day = self.calendar.add_working_days(day, 0).day
        if day <= _day(t):
            return t + datetime.timedelta(minutes=self.rng.randint(5, 90))
        return self.on(day)

    # people --------------------------------------------------------------------------------

    def officer(self, plan: Plan) -> int | None:
        if plan.kind in (K.INSPECTION, K.DOUBLE_RANDOM) and self.rng.random() < 0.8:
            return plan.by  # the inspecting officer re-inspects (整改复查)
        pool = self.cast.office_officers(plan.ent.office_id)
        return self.rng.choice(pool) if pool else None

    def acceptor(self, plan: Plan, h: SimpleNamespace) -> int | None:
        """RULES.md §3.1: an enterprise accepts its own general hazards; everything found by
        others is closed by the competent officer."""
        if h.finder == Finder.ENTERPRISE and h.level == Level.GENERAL and plan.ent.user_id:
            return plan.ent.user_id
        return self.officer(plan)

    def rectifier(self, plan: Plan, at: datetime.datetime) -> int | None:
        """Who hands in the evidence: the enterprise, or the grid worker confirming the fix
        on site for a patrol's finding, or the officer on behalf of an enterprise with no
        account."""
        if plan.kind == K.PATROL and self.rng.random() < 0.25:
            terms = self.cast.terms.get(plan.ent.grid_id, [])
            if any(t.user_id == plan.by and t.covers(_day(at)) for t in terms):
                return plan.by
        return plan.ent.user_id or self.officer(plan)

    # content -------------------------------------------------------------------------------

    def finding(self, ent: Ent) -> Finding:
        key = (ent.sector, ent.tags)
        if key not in self._fits:
            fits = [f for f in findings.GENERAL_FINDINGS if f.fits(ent.sector, ent.tags)]
            # What is peculiar to the enterprise (its dust, its confined spaces) turns up
            # more often than its share of the list.
            weights = [3.0 if (f.tags or f.sectors) else 1.0 for f in fits]
            self._fits[key] = (fits, weights)
        fits, weights = self._fits[key]
        return self.rng.choices(fits, weights=weights)[0]

    def major_finding(self, ent: Ent) -> Finding:
        fits = [f for f in findings.MAJOR_FINDINGS if f.fits(ent.sector, ent.tags)]
        return self.rng.choice(fits or findings.MAJOR_FINDINGS[3:5])

    def source(self, finder: str, day: datetime.date) -> str:
        if finder != Finder.ENTERPRISE:
            return DEFAULT_SOURCE[Finder(finder)]
        if day in self.before_holiday and self.rng.random() < 0.7:
            return Source.HOLIDAY
        return self.rng.choices(
            [
                Source.DAILY,
                Source.COMPREHENSIVE,
                Source.SPECIALIZED,
                Source.SEASONAL,
                Source.CONTROL_FAILURE,
            ],
            weights=[70, 10, 8, 7, 5],
        )[0]

    def hazard(
        self,
        plan: Plan,
        visit_id: int,
        at: datetime.datetime,
        item: ChecklistItem | None,
        major: bool,
    ) -> SimpleNamespace:
        """A new hazard row as register_hazard fills it in (its status comes with the
        registration step)."""
        rng, ent = self.rng, plan.ent
        finder = FINDER[plan.kind]
        f = self.major_finding(ent) if major else self.finding(ent)
        fields: dict[str, Any] = {
            "name": f.name,
            "description": f"{rng.choice(findings.LOCATIONS)}{f.detail}。",
            "hazard_type": f.hazard_type,
            "management_class": f.management_class,
            "accident_type": f.accident_type(plan.day),
            "basis": f.basis,
            "measures": f.measures,
            "level": Level.MAJOR if major else Level.GENERAL,
        }
        if item is not None:
            # As record_visit does: the hazard is prefilled from the non-compliant item.
            fields.update(prefill_from_item(item))
            fields["measures"] = "按检查表条款要求整改"
        funds = rng.choice([200, 500, 800, 1500, 3000, 5000, 12000]) if rng.random() < 0.3 else None
        return SimpleNamespace(
            client_uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
            enterprise_id=ent.id,
            grid_id=ent.grid_id,
            village_id=ent.village_id,
            office_id=ent.office_id,
            zone_id=ent.zone_id,
            origin_type_id=self.visit_type_id,
            origin_id=visit_id,
            item_id=item.pk if item else None,
            reason=rng.choice(findings.REASONS) if rng.random() < 0.5 else "",
            location=rng.choice(findings.LOCATIONS),
            source=self.source(finder, plan.day),
            rectify_type=RectifyType.DEADLINE,
            finder=finder,
            found_by_id=plan.by,
            found_on=plan.day,
            liable_person=ent.principal if rng.random() < 0.7 else "",
            funds=None if funds is None else Decimal(funds),
            deadline=None,
            rectified_on=None,
            extension_requested_until=None,
            extension_reason="",
            acceptor_id=None,
            accepted_at=None,
            accept_comment="",
            production_suspended=False,
            status="",
            rejections=0,
            extensions=0,
            version=1,
            closed_at=None,
            created_at=at,
            **fields,
        )

    # general hazards (RULES.md §3.1) --------------------------------------------------------

    def general(self, life: Life, plan: Plan, at: datetime.datetime, lat: Any, lng: Any) -> None:
        h, rng = life.h, self.rng
        before = (
            [self.photos.make("before", plan.by, at, plan.ent)]
            if rng.random() < BEFORE_PHOTO[h.finder]
            else []
        )
        if rng.random() < IMMEDIATE[h.finder]:
            h.rectify_type = RectifyType.IMMEDIATE
            after = [self.photos.make("after", plan.by, at, plan.ent)]
            # The finder closes it at once when they may accept it (an officer; the
            # enterprise for its own); otherwise it waits for the officer's acceptance.
            own = h.finder in (Finder.OFFICER, Finder.ENTERPRISE)
            status = Status.CLOSED if own else Status.SUBMITTED
            life.register(at, plan.by, status, before=before, after=after, lat=lat, lng=lng)
            if status == Status.SUBMITTED:
                self.review_loop(life, plan, on_the_spot=True)
            return
        days = rng.choices([3, 7, 10, 15, 30, 60], weights=[8, 30, 22, 22, 13, 5])[0]
        deadline = plan.day + datetime.timedelta(days=days)
        year_end = datetime.date(plan.day.year, 12, 28)
        if plan.day.month == 12 and deadline > year_end:
            # The year-end push: December's findings are to be closed within the year.
            deadline = max(year_end, plan.day + datetime.timedelta(days=3))
        if h.finder == Finder.OFFICER and rng.random() < 0.12:
            # Registered without a deadline; the officer sets it shortly after ("assign").
            life.register(at, plan.by, Status.REGISTERED, before=before, after=[], lat=lat, lng=lng)
            assign_at = self.later(at, rng.randint(0, 2))
            if not life.take("assign", assign_at, plan.by, data={"deadline": deadline}):
                return
        else:
            h.deadline = deadline
            life.register(at, plan.by, Status.RECTIFYING, before=before, after=[], lat=lat, lng=lng)
        acceptor = self.acceptor(plan, h)
        if acceptor and rng.random() < 0.004:
            life.take(
                "void",
                self.later(life.last_at, rng.randint(1, 3)),
                acceptor,
                note=rng.choice(findings.VOID_NOTES),
            )
            return
        self.rectify(life, plan)

    def rectify(self, life: Life, plan: Plan) -> None:
        """From rectifying: maybe an extension, then submissions and reviews until accepted."""
        h, rng = life.h, self.rng
        acceptor = self.acceptor(plan, h)
        if h.deadline and acceptor and rng.random() < 0.045:
            self.extension(life, plan, acceptor)
        self.review_loop(life, plan)

    def extension(self, life: Life, plan: Plan, acceptor: int) -> None:
        h, rng = life.h, self.rng
        assert h.deadline is not None
        asker = plan.ent.user_id or acceptor
        ask_day = max(
            h.deadline - datetime.timedelta(days=rng.randint(1, 4)),
            _day(life.last_at),
        )
        ask_at = self.later(life.last_at, (ask_day - _day(life.last_at)).days, workday=False)
        until = h.deadline + datetime.timedelta(days=rng.choice([7, 10, 15, 20, 30]))
        note = rng.choice(findings.EXTENSION_NOTES)
        if not life.take("request_extension", ask_at, asker, note=note, data={"deadline": until}):
            return
        decide_at = self.later(ask_at, rng.randint(1, 3))
        if rng.random() < 0.8:
            life.take("approve_extension", decide_at, acceptor)
        else:
            life.take("deny_extension", decide_at, acceptor, note=rng.choice(findings.DENY_NOTES))

    def submit_time(self, life: Life, first: bool) -> datetime.datetime:
        h, rng = life.h, self.rng
        last = _day(life.last_at)
        if not first:
            return self.later(life.last_at, rng.randint(2, 12), workday=rng.random() < 0.8)
        deadline = h.deadline or h.found_on + datetime.timedelta(days=7)
        u = rng.random()
        if u < 0.004:  # the stubborn few: months late, some still open now
            day = deadline + datetime.timedelta(days=rng.randint(30, 300))
        elif u < 0.07:  # late, within weeks
            day = deadline + datetime.timedelta(days=rng.randint(1, 25))
        else:  # in time, most of them early
            span = max(1, (deadline - h.found_on).days)
            day = h.found_on + datetime.timedelta(days=1 + int((span - 1) * rng.random() ** 1.7))
        return self.later(life.last_at, max(0, (day - last).days), workday=rng.random() < 0.8)

    def review_loop(self, life: Life, plan: Plan, *, on_the_spot: bool = False) -> None:
        """Submit (unless fixed on the spot and submitted already), then review; a rejection
        sends it back to rectifying and round it goes again."""
        rng = self.rng
        acceptor = self.acceptor(plan, life.h)
        for review in range(len(REJECT_CHANCE)):
            if life.h.status != Status.SUBMITTED:
                at = self.submit_time(life, first=review == 0)
                by = self.rectifier(plan, at)
                if by is None:
                    return
                photo = self.photos.make("after", by, at, plan.ent)
                note = rng.choice(findings.SUBMIT_NOTES)
                if not life.take("submit", at, by, note=note, photos=[photo]):
                    return
            if acceptor is None:
                return
            self_accepting = acceptor == plan.ent.user_id
            days = (
                rng.randint(0, 1) if self_accepting else rng.choice([1, 1, 1, 2, 2, 3, 3, 4, 5, 7])
            )
            at = self.later(life.last_at, days)
            chance = 0.03 if on_the_spot and review == 0 else REJECT_CHANCE[review]
            if rng.random() < chance:
                if not life.take("reject", at, acceptor, note=rng.choice(findings.REJECT_NOTES)):
                    return
                continue
            notes = findings.SELF_ACCEPT_NOTES if self_accepting else findings.ACCEPT_NOTES
            life.take("accept", at, acceptor, note=rng.choice(notes))
            return

    # major hazards (RULES.md §3.2) ----------------------------------------------------------

    def major(self, life: Life, plan: Plan, at: datetime.datetime, lat: Any, lng: Any) -> None:
        h, rng = life.h, self.rng
        officer = self.officer(plan)
        before = [self.photos.make("before", plan.by, at, plan.ent)]
        u = rng.random()
        if u < 0.15 and h.finder == Finder.OFFICER and h.item_id is None:
            # First written down as a general hazard, then judged major on review.
            h.level, h.deadline = Level.GENERAL, plan.day + datetime.timedelta(days=15)
            life.register(at, plan.by, Status.RECTIFYING, before=before, after=[], lat=lat, lng=lng)
            note = "经复核，该隐患符合重大事故隐患判定标准，按重大事故隐患管理。"
            if not life.take("escalate", self.later(at, rng.randint(1, 4)), plan.by, note=note):
                return
        else:
            life.register(at, plan.by, Status.REPORTED, before=before, after=[], lat=lat, lng=lng)
        if officer is None:
            return
        if u > 0.88:
            # Downgraded after expert opinion, then rectified as a general hazard.
            at = self.later(life.last_at, rng.randint(2, 6))
            until = _day(at) + datetime.timedelta(days=rng.randint(15, 30))
            note = "经专家论证，不构成重大事故隐患，按一般隐患限期整改。"
            if life.take("downgrade", at, officer, note=note, data={"deadline": until}):
                self.rectify(life, plan)
            return
        basis = h.basis or "《工贸企业重大事故隐患判定标准》（应急管理部令第10号）第十四条"
        at = self.later(life.last_at, rng.randint(1, 5))
        if not life.take("confirm", at, officer, data={"basis": basis}):
            return
        suspended = rng.random() < 0.4
        if suspended and not life.take(
            "suspend_production",
            self.later(at, 0),
            officer,
            note="责令相关场所和设备停止使用，局部停产整改。",
        ):
            return
        self.remediate(life, plan, officer, suspended)

    def remediate(self, life: Life, plan: Plan, officer: int, suspended: bool) -> None:
        h, rng = life.h, self.rng
        actor = plan.ent.user_id or officer
        at = self.later(life.last_at, rng.randint(3, 10), workday=False)
        deadline = _day(at) + datetime.timedelta(days=rng.randint(45, 120))
        funds = Decimal(rng.randrange(20, 300) * 1000)
        data: dict[str, Any] = {
            "plan_objectives": f"彻底消除“{h.name}”重大事故隐患",
            "plan_methods": h.measures or "按判定标准条款要求整改",
            "plan_funding": f"企业自筹整改资金{funds}元，所需物资由设备部门采购",
            "plan_organisation": f"主要负责人{plan.ent.principal}牵头，安全管理部门组织实施",
            "plan_time_limit": f"{deadline:%Y年%m月%d日}前完成整改并申请核销",
            "plan_safety_measures": "整改期间停止相关区域作业，设置警戒区域和警示标志，落实应急预案",
            "liable_person": plan.ent.principal or "主要负责人",
            "funds": funds,
            "deadline": deadline,
        }
        if not life.take("file_plan", at, actor, data=data):
            return
        if not life.take(
            "start_remediation", self.later(at, rng.randint(0, 3), workday=False), actor
        ):
            return
        if rng.random() < 0.1:
            self.extension(life, plan, officer)
        for round_ in range(3):
            target = (h.deadline or deadline) - datetime.timedelta(days=rng.randint(0, 20))
            if round_:
                target = _day(life.last_at) + datetime.timedelta(days=rng.randint(10, 30))
            elif rng.random() < 0.1:
                target = (h.deadline or deadline) + datetime.timedelta(days=rng.randint(5, 40))
            days = max(7, (target - _day(life.last_at)).days)
            at = self.later(life.last_at, days, workday=False)
            photo = self.photos.make("after", actor, at, plan.ent)
            note = "隐患治理完成，已组织专家评估，附评估报告和整改后照片。"
            if not life.take("self_assess", at, actor, note=note, photos=[photo]):
                return
            if not life.take("apply_review", self.later(at, rng.randint(1, 3)), actor):
                return
            review_at = self.later(life.last_at, rng.randint(3, 9))
            if round_ == 0 and rng.random() < 0.15:
                note = "复查发现部分治理措施未落实到位，退回继续治理。"
                if not life.take("fail_review", review_at, officer, note=note):
                    return
                continue
            if suspended and not life.take(
                "resume_production", review_at, officer, note="复查合格，准予恢复生产。"
            ):
                return
            photo = self.photos.make("after", officer, review_at, plan.ent)
            life.take(
                "write_off",
                review_at + datetime.timedelta(minutes=rng.randint(5, 40)),
                officer,
                note="经复查验收，重大事故隐患已消除，同意核销。",
                data={"reviewers": rng.choice(findings.REVIEWERS)},
                photos=[photo],
            )
            return
