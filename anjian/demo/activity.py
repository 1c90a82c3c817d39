"""A year of demo field work and hazards at the seed article's scale, and this year to date.

One zone-year is the article's: 10,192 enterprise checks (5,219 of them grid patrols), 19,053
hazards (4,914 recorded by grid workers), 18,667 rectified by the year's end. The current
year runs at the same pace up to yesterday, so the ledger has fresh, open and overdue work.

Speed decides the shape: visits, hazards, events, photos and answers are built in Python and
bulk-inserted chunk by chunk; nothing goes through `hazards.workflow.transition` (tens of
thousands of hazards × several steps would take minutes). Each hazard's life is simulated by
`Life`, which applies the same effects as the workflow's ACTIONS table (status, acceptor,
accepted_at, closed_at, rectified_on, rejections, extensions, version, one event per step), so
the rows are those the workflow would have written; tests/test_activity.py replays a sample
through the real workflow to keep the two equal. Audit entries are not written per step: the
seed records one entry for the whole load.
"""

from __future__ import annotations

import bisect
import datetime
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from anjian.accounts.models import Agency, Engagement, Role, User
from anjian.checklists.models import ChecklistItem, ChecklistVersion, Determination
from anjian.demo.bulk import Ids, Row, Table
from anjian.demo.lifecycle import Life, Lives, Photos
from anjian.draws.models import Draw, DrawItem
from anjian.draws.services import OFFICERS_PER_ENTERPRISE, SEED_LIMIT, draw_result
from anjian.enterprises.models import Enterprise, EnterpriseTag, RiskClass, Sector, Tag
from anjian.enterprises.models import Status as EnterpriseStatus
from anjian.evidence.models import Photo
from anjian.fieldwork.models import Answer, Outcome, Result, Visit, VisitKind
from anjian.hazards.models import (
    OPEN,
    Finder,
    Hazard,
    HazardEvent,
    Level,
    Status,
)
from anjian.regions.models import GridAssignment, GridRole, Region
from anjian.workdays.calendar import Calendar

K = VisitKind
# One zone-year (the article's 2,500 enterprises). The split of the non-patrol checks and of
# their hazards is ours: the article gives only the totals.
VISITS_PER_YEAR: dict[str, int] = {
    K.PATROL: 5219,
    K.INSPECTION: 2030,
    K.DOUBLE_RANDOM: 360,
    K.EXPERT_CHECK: 1600,
    K.SELF_INSPECTION: 870,
    K.LIAISON: 113,
}
HAZARDS_PER_YEAR: dict[str, int] = {
    K.PATROL: 4914,
    K.EXPERT_CHECK: 6500,
    K.INSPECTION: 4700,
    K.DOUBLE_RANDOM: 750,
    K.SELF_INSPECTION: 2160,
    K.LIAISON: 29,
}
MAJORS_PER_YEAR = 10
ENTERPRISES_PER_ZONE = 2500
USES_CHECKLIST: dict[str, float] = {
    K.PATROL: 0.35,
    K.INSPECTION: 0.9,
    K.DOUBLE_RANDOM: 1.0,
    K.EXPERT_CHECK: 0.8,
    K.SELF_INSPECTION: 0.5,
    K.LIAISON: 0.0,
}
# How much lighter a weekend or holiday is than a working day, by kind of visit.
OFF_DAY_WEIGHT: dict[str, float] = {
    K.PATROL: 0.12,
    K.INSPECTION: 0.03,
    K.DOUBLE_RANDOM: 0.0,
    K.EXPERT_CHECK: 0.08,
    K.SELF_INSPECTION: 0.2,
    K.LIAISON: 0.02,
}
# Campaign months: pre-Spring-Festival checks, 安全生产月 in June, the year-end push.
MONTH_WEIGHT = [1.1, 0.75, 1.0, 1.0, 1.0, 1.25, 1.0, 0.9, 1.1, 0.9, 1.1, 1.15]
MINUTES: dict[str, tuple[int, int]] = {
    K.PATROL: (20, 60),
    K.INSPECTION: (60, 180),
    K.DOUBLE_RANDOM: (60, 150),
    K.EXPERT_CHECK: (90, 240),
    K.SELF_INSPECTION: (30, 120),
    K.LIAISON: (40, 90),
}
RISK_WEIGHT: dict[str, float] = {
    RiskClass.RED: 3.0,
    RiskClass.ORANGE: 2.0,
    RiskClass.YELLOW: 1.4,
    RiskClass.BLUE: 1.0,
}
KEY_SECTORS: set[str] = {
    Sector.HAZARDOUS_CHEMICALS,
    Sector.METALLURGY,
    Sector.NONFERROUS,
    Sector.GAS,
}
KEY_TAGS: set[str] = {
    Tag.DUST_EXPLOSION,
    Tag.MAJOR_HAZARD_SOURCE,
    Tag.HAZCHEM_PRODUCTION,
    Tag.METAL_SMELTING,
}
CHUNK = 1500


# --- what the seeder reads from the zone ------------------------------------------------------


@dataclass(slots=True)
class Ent:
    id: int
    grid_id: int
    village_id: int
    office_id: int
    zone_id: int
    sector: str
    status: str
    risk: str
    lat: Decimal | None
    lng: Decimal | None
    principal: str
    tenant: bool
    tags: frozenset[str] = frozenset()
    user_id: int | None = None


@dataclass(slots=True)
class Term:
    user_id: int
    chief: bool
    starts_on: datetime.date
    ends_on: datetime.date | None

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


@dataclass
class Cast:
    """Who does the work: officers by office, leaders, grid terms, experts by agency."""

    officers: dict[int, list[int]] = field(default_factory=dict)
    zone_officers: list[int] = field(default_factory=list)
    admins: list[int] = field(default_factory=list)
    office_leaders: dict[int, list[int]] = field(default_factory=dict)
    zone_leaders: list[int] = field(default_factory=list)
    terms: dict[int, list[Term]] = field(default_factory=dict)
    experts: dict[int, list[int]] = field(default_factory=dict)
    demo_enterprise_id: int | None = None

    def office_officers(self, office_id: int) -> list[int]:
        return self.officers.get(office_id) or self.zone_officers or self.admins

    def grid_worker(self, grid_id: int, day: datetime.date, rng: random.Random) -> int | None:
        active = [t for t in self.terms.get(grid_id, ()) if t.covers(day)]
        workers = [t.user_id for t in active if not t.chief]
        chiefs = [t.user_id for t in active if t.chief]
        if chiefs and (not workers or rng.random() < 0.08):
            return rng.choice(chiefs)
        return rng.choice(workers) if workers else None


@dataclass(slots=True)
class Pick:
    """A published checklist version and the items that apply to one enterprise."""

    version_id: int
    general: bool
    items: list[ChecklistItem]


class Checklists:
    """Published checklist versions, matched to enterprises as Checklist.applies_to does."""

    def __init__(self) -> None:
        versions = list(
            # The platform's checklists: a zone's own are not part of the demo.
            ChecklistVersion.objects.published()
            .filter(checklist__zone__isnull=True)
            .select_related("checklist__standard")
            .order_by("checklist__code", "id")
        )
        items: dict[int, list[ChecklistItem]] = {v.pk: [] for v in versions}
        for item in (
            ChecklistItem.objects.filter(version__in=versions)
            .select_related("version__checklist__standard")
            .order_by("version_id", "position", "id")
        ):
            items[item.version_id].append(item)
        self.versions = [(v, items[v.pk]) for v in versions if items[v.pk]]
        self._cache: dict[tuple[str, frozenset[str]], list[Pick]] = {}

    def for_enterprise(self, ent: Ent) -> list[Pick]:
        key = (ent.sector, ent.tags)
        if key not in self._cache:
            picks = []
            for version, items in self.versions:
                checklist = version.checklist
                if checklist.sectors and ent.sector not in checklist.sectors:
                    continue
                if checklist.tags and not set(checklist.tags) & ent.tags:
                    continue
                mine = [i for i in items if not i.tags or set(i.tags) & ent.tags]
                if mine:
                    # "General": for every enterprise, and mostly general items (the
                    # double-random list), not the major-hazard determination lists.
                    plain = [i for i in mine if i.determination == Determination.GENERAL]
                    general = not checklist.sectors and not checklist.tags
                    picks.append(Pick(version.pk, general and 2 * len(plain) > len(mine), mine))
            self._cache[key] = picks
        return self._cache[key]

    def choose(self, kind: str, ent: Ent, rng: random.Random) -> Pick | None:
        picks = self.for_enterprise(ent)
        if not picks or rng.random() >= USES_CHECKLIST[kind]:
            return None
        general = [p for p in picks if p.general]
        specific = [p for p in picks if not p.general]
        # A double-random inspection runs the published random-check list; patrols mostly
        # the general list too; inspections and experts prefer the sector's own standard.
        prefer_general = kind in (K.DOUBLE_RANDOM, K.PATROL) or rng.random() < 0.4
        pool = (general or specific) if prefer_general else (specific or general)
        return rng.choice(pool)


def load_enterprises(zone: Region) -> list[Ent]:
    tags: dict[int, set[str]] = {}
    for enterprise_id, tag in EnterpriseTag.objects.filter(enterprise__zone=zone).values_list(
        "enterprise_id", "tag"
    ):
        tags.setdefault(enterprise_id, set()).add(tag)
    users: dict[int, int] = {}
    for enterprise_id, user_id in (
        User.objects.filter(role=Role.ENTERPRISE, enterprise__zone=zone, is_active=True)
        .order_by("-username")  # "ent-…" sorts after "demo-…": the demo login wins
        .values_list("enterprise_id", "id")
    ):
        users[enterprise_id] = user_id
    rows = (
        Enterprise.objects.filter(zone=zone)
        .order_by("id")
        .values_list(
            "id",
            "grid_id",
            "village_id",
            "office_id",
            "zone_id",
            "sector",
            "status",
            "risk_class",
            "latitude",
            "longitude",
            "principal",
            "landlord_id",
        )
    )
    return [
        Ent(
            *row[:11],
            tenant=row[11] is not None,
            tags=frozenset(tags.get(row[0], ())),
            user_id=users.get(row[0]),
        )
        for row in rows
    ]


def load_cast(zone: Region) -> Cast:
    cast = Cast()
    people = User.objects.filter(zone=zone, is_active=True).order_by("id")
    offices = set(Region.objects.filter(parent=zone).values_list("id", flat=True))
    for user_id, role, region_id, agency_id, username in people.values_list(
        "id", "role", "region_id", "agency_id", "username"
    ):
        if role == Role.OFFICER:
            if region_id in offices:
                cast.officers.setdefault(region_id, []).append(user_id)
            elif region_id == zone.pk:
                cast.zone_officers.append(user_id)
        elif role == Role.ZONE_ADMIN:
            cast.admins.append(user_id)
        elif role == Role.LEADER:
            if region_id in offices:
                cast.office_leaders.setdefault(region_id, []).append(user_id)
            elif region_id == zone.pk:
                cast.zone_leaders.append(user_id)
        elif role == Role.EXPERT and agency_id:
            cast.experts.setdefault(agency_id, []).append(user_id)
        elif role == Role.ENTERPRISE and username == "demo-enterprise":
            cast.demo_enterprise_id = (
                User.objects.filter(pk=user_id).values_list("enterprise_id", flat=True).first()
            )
    for grid_id, user_id, role, starts_on, ends_on in (
        GridAssignment.objects.filter(grid__zone=zone, user__role=Role.GRID_WORKER)
        .order_by("grid_id", "starts_on", "id")
        .values_list("grid_id", "user_id", "role", "starts_on", "ends_on")
    ):
        term = Term(user_id, role == GridRole.CHIEF, starts_on, ends_on)
        cast.terms.setdefault(grid_id, []).append(term)
    return cast


# --- engagements ------------------------------------------------------------------------------


def engage_agencies(
    zone: Region, ents: list[Ent], cast: Cast, years: list[int], rng: random.Random
) -> dict[int, int]:
    """Each agency is engaged for each year to look after a share of the clusters' and rented
    factories' tenants and of the chemical and metallurgy enterprises (the article's 12
    third-party agencies, 安全管家). Returns enterprise id → agency id."""
    agencies = [
        a for a in Agency.objects.filter(zone=zone).order_by("id") if cast.experts.get(a.pk)
    ]
    if not agencies:
        return {}
    eligible = [
        e
        for e in ents
        if e.status == EnterpriseStatus.OPERATING
        and (e.tenant or e.sector in KEY_SECTORS or e.tags & KEY_TAGS)
    ]
    if not eligible:
        eligible = [e for e in ents if e.status == EnterpriseStatus.OPERATING][
            : max(1, len(ents) // 3)
        ]
    rng.shuffle(eligible)
    agency_of = {e.id: agencies[k % len(agencies)].pk for k, e in enumerate(eligible)}
    engagements = [
        Engagement(
            zone=zone,
            agency=agency,
            title=f"{year}年度安全管家服务（{agency.name}）",
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
        )
        for year in years
        for agency in agencies
    ]
    Engagement.objects.bulk_create(engagements)
    firms, experts = [], []
    for engagement in engagements:
        for ent_id, agency_id in agency_of.items():
            if agency_id == engagement.agency_id:
                firms.append(
                    Engagement.enterprises.through(
                        engagement_id=engagement.pk, enterprise_id=ent_id
                    )
                )
        for user_id in cast.experts[engagement.agency_id]:
            experts.append(Engagement.experts.through(engagement_id=engagement.pk, user_id=user_id))
    Engagement.enterprises.through.objects.bulk_create(firms, batch_size=900)
    Engagement.experts.through.objects.bulk_create(experts, batch_size=900)
    return agency_of


# --- planning the visits ------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A stretch of days that gets `share` of a zone-year's visits and hazards."""

    label: str
    first: datetime.date
    last: datetime.date
    share: float

    def days(self) -> Iterator[datetime.date]:
        day = self.first
        while day <= self.last:
            yield day
            day += datetime.timedelta(days=1)


@dataclass(slots=True)
class Plan:
    kind: str
    ent: Ent
    day: datetime.date
    by: int
    people: list[int]
    start: datetime.datetime
    end: datetime.datetime
    outcome: str = Outcome.INSPECTED
    hazards: int = 0
    majors: int = 0
    pick: Pick | None = None
    draw_item_id: int | None = None


def day_weight(calendar: Calendar, kind: str, day: datetime.date) -> float:
    base = 1.0 if calendar.is_working_day(day) else OFF_DAY_WEIGHT[kind]
    return base * MONTH_WEIGHT[day.month - 1]


def periods(year: int, today: datetime.date, calendar: Calendar) -> list[Period]:
    """The full calendar year, then (when it is past) this year up to yesterday."""
    full = Period(str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31), 1.0)
    if year >= today.year:
        return [full]
    first = datetime.date(today.year, 1, 1)
    last = today - datetime.timedelta(days=1)
    if last < first:
        return [full]
    whole = Period("", first, datetime.date(today.year, 12, 31), 1.0)

    def weight(p: Period) -> float:
        return sum(day_weight(calendar, K.INSPECTION, d) for d in p.days())

    so_far = Period("", first, last, 1.0)
    share = weight(so_far) / weight(whole)
    return [full, Period(f"{today.year} to date", first, last, share)]


class Planner:
    """Draws who visits which enterprise on which day, and what they found."""

    def __init__(
        self,
        ents: list[Ent],
        cast: Cast,
        agency_of: dict[int, int],
        checklists: Checklists,
        calendar: Calendar,
        rng: random.Random,
    ) -> None:
        self.ents, self.cast, self.agency_of = ents, cast, agency_of
        self.checklists, self.calendar, self.rng = checklists, calendar, rng
        self.tz = timezone.get_current_timezone()

    def weight(self, e: Ent, kind: str, *, demo: float = 1.0) -> float:
        """How much more often than the average enterprise `e` gets this kind of visit (or,
        for a visit, its hazards): by risk class, key sectors and tags."""
        w = RISK_WEIGHT.get(e.risk, 1.0)
        if kind in (K.INSPECTION, K.LIAISON) and (e.sector in KEY_SECTORS or e.tags & KEY_TAGS):
            w *= 2.5
        if kind == K.SELF_INSPECTION and (e.sector in KEY_SECTORS or len(e.tags) > 1):
            w *= 2.0
        if e.id == self.cast.demo_enterprise_id:
            w *= demo  # the demo enterprise's login should find plenty to look at
        return w

    def plan(self, period: Period, volume: float) -> list[Plan]:
        plans: list[Plan] = []
        for kind, per_year in VISITS_PER_YEAR.items():
            n = round(per_year * volume * period.share)
            if n and kind == K.DOUBLE_RANDOM:
                plans += self._plan_draws(n, period)
            elif n:
                plans += self._plan_kind(kind, n, period)
        plans += self._demo_patrol(period)
        plans.sort(key=lambda p: (p.start, p.ent.id))
        for kind, per_year in HAZARDS_PER_YEAR.items():
            self._allocate(plans, kind, round(per_year * volume * period.share))
        for p in plans:
            if p.outcome == Outcome.INSPECTED:
                p.pick = self.checklists.choose(p.kind, p.ent, self.rng)
        self._majors(plans, max(1, round(MAJORS_PER_YEAR * volume * period.share)))
        return plans

    def _demo_patrol(self, period: Period) -> list[Plan]:
        """Work waiting for the demo logins: two working days before today the demo
        enterprise's grid worker found two hazards there (their lives run like any other's,
        so they are most likely still being rectified, or awaiting acceptance)."""
        ent = next((e for e in self.ents if e.id == self.cast.demo_enterprise_id), None)
        if ent is None or period.share >= 1.0 or ent.status != EnterpriseStatus.OPERATING:
            return []
        day, back = period.last, 1
        while back < 2 or not self.calendar.is_working_day(day):
            back += self.calendar.is_working_day(day)
            day -= datetime.timedelta(days=1)
        worker = self.cast.grid_worker(ent.grid_id, day, self.rng)
        if worker is None or day < period.first:
            return []
        plan = self._timed(K.PATROL, ent, day, [worker])
        plan.outcome, plan.hazards = Outcome.INSPECTED, 2
        return [plan]

    def _candidates(self, kind: str) -> list[Ent]:
        operating = [e for e in self.ents if e.status == EnterpriseStatus.OPERATING]
        if kind == K.PATROL:
            # Grid workers also knock on the doors of enterprises that have shut or moved:
            # that is how the registry learns of it.
            return [e for e in self.ents if e.grid_id in self.cast.terms]
        if kind == K.EXPERT_CHECK:
            return [e for e in operating if e.id in self.agency_of]
        if kind == K.SELF_INSPECTION:
            return [e for e in operating if e.user_id]
        return operating

    def _enterprises(self, kind: str, n: int) -> list[Ent]:
        pool = self._candidates(kind)
        if not pool:
            return []
        chosen: list[Ent] = []
        if kind == K.PATROL:
            # Full coverage first (every enterprise in a grid, RULES.md §2.7 [L]), then the
            # risky ones more often.
            first = list(pool)
            self.rng.shuffle(first)
            chosen = first[:n]
        rest = n - len(chosen)
        if rest > 0:
            weights = [
                self.weight(e, kind, demo=4)
                * (0.3 if e.status != EnterpriseStatus.OPERATING else 1)
                for e in pool
            ]
            chosen += self.rng.choices(pool, weights=weights, k=rest)
        return chosen

    def _plan_kind(self, kind: str, n: int, period: Period) -> list[Plan]:
        days = list(period.days())
        cum = []
        total = 0.0
        for d in days:
            total += day_weight(self.calendar, kind, d)
            cum.append(total)
        if not total:
            return []
        plans = []
        for ent in self._enterprises(kind, n):
            day = days[bisect.bisect_right(cum, self.rng.random() * total)]
            people = self._people(kind, ent, day)
            if people:
                plans.append(self._timed(kind, ent, day, people))
        return plans

    def _plan_draws(self, n: int, period: Period) -> list[Plan]:
        """双随机: each office draws its share of enterprises each quarter with
        draws.services.draw_result (so the stored result is the one its seed gives), publishes
        the draw, and the drawn officers inspect over the following weeks."""
        rng, year = self.rng, period.first.year
        offices = sorted(o for o, people in self.cast.officers.items() if len(people) >= 2)
        quarters = [q for q in range(4) if datetime.date(year, 3 * q + 1, 1) <= period.last]
        cells = [(office, q) for q in quarters for office in offices]
        if not cells:
            return []
        names = dict(Region.objects.filter(pk__in=offices).values_list("id", "name"))
        by_id = {e.id: e for e in self.ents}
        plans = []
        for k, (office, q) in enumerate(cells):
            pool = sorted(
                e.id
                for e in self.ents
                if e.office_id == office and e.status == EnterpriseStatus.OPERATING
            )
            size = min(len(pool), n // len(cells) + (k < n % len(cells)))
            # Counted from the quarter's first working day.
            opens = self.calendar.add_working_days(datetime.date(year, 3 * q + 1, 1), 0).day
            drawn_on = self.calendar.add_working_days(opens, rng.randint(1, 8)).day
            if not size or drawn_on > period.last:
                continue
            officers = sorted(self.cast.officers[office])
            by, seed = rng.choice(officers), rng.randrange(SEED_LIMIT)
            created = self._at(drawn_on, 9 * 60)
            published = self._at(
                self.calendar.add_working_days(drawn_on, rng.randint(1, 3)).day, 9 * 60
            )
            draw = Draw.objects.create(
                zone_id=self.ents[0].zone_id,
                office_id=office,
                title=f"{year}年第{q + 1}季度“双随机”抽查（{names.get(office, '')}）",
                seed=seed,
                criteria={"office": office},
                enterprise_ids=pool,
                officer_ids=officers,
                size=size,
                per_enterprise=OFFICERS_PER_ENTERPRISE,
                created_by_id=by,
                created_at=created,
                published_by_id=by,
                published_at=published,
            )
            result = draw_result(seed, pool, officers, size, OFFICERS_PER_ENTERPRISE)
            items = DrawItem.objects.bulk_create(
                DrawItem(draw=draw, position=i, enterprise_id=ent_id)
                for i, (ent_id, _team) in enumerate(result, start=1)
            )
            DrawItem.officers.through.objects.bulk_create(
                DrawItem.officers.through(drawitem_id=item.pk, user_id=officer)
                for item, (_e, team) in zip(items, result, strict=True)
                for officer in team
            )
            for item, (ent_id, team) in zip(items, result, strict=True):
                day = self.calendar.add_working_days(
                    timezone.localdate(published), rng.randint(1, 40)
                ).day
                if day > period.last:
                    continue  # drawn, not inspected yet
                plan = self._timed(K.DOUBLE_RANDOM, by_id[ent_id], day, list(team))
                plan.draw_item_id = item.pk
                plans.append(plan)
        return plans

    def _at(self, day: datetime.date, minute: int) -> datetime.datetime:
        midnight = datetime.datetime(day.year, day.month, day.day, tzinfo=self.tz)
        return midnight + datetime.timedelta(minutes=minute + self.rng.randrange(120))

    def _people(self, kind: str, e: Ent, day: datetime.date) -> list[int]:
        rng, cast = self.rng, self.cast
        if kind == K.PATROL:
            worker = cast.grid_worker(e.grid_id, day, rng)
            return [worker] if worker else []
        if kind in (K.INSPECTION, K.DOUBLE_RANDOM):
            # Administrative inspections go in twos (two certified officers), the double-random
            # draw picks both from the office's officers and the zone's.
            local = cast.office_officers(e.office_id)
            pool = local + cast.zone_officers if kind == K.DOUBLE_RANDOM else local
            if kind == K.INSPECTION and cast.zone_officers and rng.random() < 0.15:
                pool = cast.zone_officers
            if not pool:
                return []
            lead = rng.choice(pool)
            others = [u for u in pool + cast.zone_officers if u != lead]
            return [lead, rng.choice(others)] if others else [lead]
        if kind == K.EXPERT_CHECK:
            experts = cast.experts.get(self.agency_of.get(e.id, 0), [])
            if not experts:
                return []
            lead = rng.choice(experts)
            others = [u for u in experts if u != lead]
            return [lead, rng.choice(others)] if others and rng.random() < 0.5 else [lead]
        if kind == K.SELF_INSPECTION:
            return [e.user_id] if e.user_id else []
        leaders = cast.office_leaders.get(e.office_id, [])
        if cast.zone_leaders and (not leaders or rng.random() < 0.3):
            leaders = cast.zone_leaders
        if not leaders:
            return []
        officers = cast.office_officers(e.office_id)
        lead = rng.choice(leaders)
        return [lead, rng.choice(officers)] if officers and rng.random() < 0.6 else [lead]

    def _timed(self, kind: str, ent: Ent, day: datetime.date, people: list[int]) -> Plan:
        rng = self.rng
        if rng.random() < 0.55:
            minute = rng.randrange(8 * 60 + 30, 11 * 60 + 15)
        else:
            minute = rng.randrange(13 * 60 + 30, 16 * 60 + 45)
        start = datetime.datetime(
            day.year, day.month, day.day, tzinfo=self.tz
        ) + datetime.timedelta(minutes=minute, seconds=rng.randrange(60))
        low, high = MINUTES[kind]
        plan = Plan(kind, ent, day, people[0], people, start, start)
        plan.outcome = self._outcome(kind, ent)
        if plan.outcome != Outcome.INSPECTED:
            high = low  # nobody to talk to: a short stop
        plan.end = start + datetime.timedelta(minutes=rng.randint(low // 2, high))
        return plan

    def _outcome(self, kind: str, e: Ent) -> str:
        """What the visitor found at the door (non-inspection outcomes are counted apart)."""
        rng = self.rng
        if kind in (K.SELF_INSPECTION, K.LIAISON):
            return Outcome.INSPECTED
        status = e.status
        if status in (EnterpriseStatus.CLOSED, EnterpriseStatus.SHUT):
            return Outcome.CLOSED if rng.random() < 0.8 else Outcome.VACANT
        if status == EnterpriseStatus.MOVED:
            return Outcome.MOVED if rng.random() < 0.8 else Outcome.NOT_FOUND
        if status == EnterpriseStatus.SUSPENDED and rng.random() < 0.6:
            return Outcome.LOCKED
        u = rng.random()
        if u < (0.022 if kind == K.PATROL else 0.01):
            return Outcome.LOCKED
        if u < 0.026:
            return rng.choice([Outcome.VACANT, Outcome.NOT_FOUND, Outcome.REFUSED])
        return Outcome.INSPECTED

    def _allocate(self, plans: list[Plan], kind: str, total: int) -> None:
        """Spread the kind's hazards over its real checks, more where the risk is higher."""
        checks = [p for p in plans if p.kind == kind and p.outcome == Outcome.INSPECTED]
        if not checks or total <= 0:
            return
        weights = [self.weight(p.ent, kind) for p in checks]
        for p in self.rng.choices(checks, weights=weights, k=total):
            p.hazards += 1

    def _majors(self, plans: list[Plan], n: int) -> None:
        """A few of the officers' and experts' findings are major hazards (重大事故隐患)."""
        pool = [
            p for p in plans if p.kind in (K.INSPECTION, K.EXPERT_CHECK) and p.hazards > p.majors
        ]
        if not pool:
            return
        weights = [self.weight(p.ent, K.INSPECTION) for p in pool]
        for p in self.rng.choices(pool, weights=weights, k=n):
            if p.hazards > p.majors:
                p.majors += 1


# --- writing ------------------------------------------------------------------------------------

OUTCOME_NOTES: dict[str, str] = {
    Outcome.CLOSED: "企业已停产关闭，厂房无人。",
    Outcome.MOVED: "企业已搬离，现场为其他单位。",
    Outcome.LOCKED: "大门紧锁，电话联系负责人未接。",
    Outcome.NOT_FOUND: "按登记地址未找到该企业。",
    Outcome.VACANT: "厂房空置。",
    Outcome.REFUSED: "企业人员拒绝配合检查，已告知属地办事处。",
}


@dataclass
class Tally:
    """What was written, and the figures the article reports, for the progress lines."""

    year: int
    today: datetime.date
    visits: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    hazards: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    majors: int = 0
    events: int = 0
    answers: int = 0
    photos: int = 0
    year_found: int = 0
    year_closed: int = 0
    year_rectified: int = 0
    overdue: int = 0

    def add(self, life: Life) -> None:
        h = life.h
        self.hazards[h.finder] += 1
        self.statuses[h.status] += 1
        self.majors += h.level == Level.MAJOR or any(s.action == "downgrade" for s in life.steps)
        self.events += len(life.steps)
        # Overdue is derived (deadline passed, still open), never stored.
        if h.status in OPEN and h.deadline and h.deadline < self.today:
            self.overdue += 1
        if h.found_on.year == self.year and h.status != Status.VOID:
            end = datetime.date(self.year, 12, 31)
            self.year_found += 1
            self.year_closed += bool(h.closed_at and h.closed_at.date() <= end)
            self.year_rectified += bool(h.rectified_on and h.rectified_on <= end)


class Tables:
    """The tables the loader writes, and the id blocks of those whose ids it must know."""

    def __init__(self) -> None:
        self.visits = Table(Visit, with_id=True)
        self.people = Table(Visit.people.through)
        self.photos = Table(Photo, with_id=True)
        self.hazards = Table(Hazard, with_id=True)
        self.before = Table(Hazard.before_photos.through)
        self.after = Table(Hazard.after_photos.through)
        self.events = Table(HazardEvent, with_id=True)
        self.event_photos = Table(HazardEvent.photos.through)
        self.answers = Table(Answer)
        self.visit_ids, self.photo_ids = Ids(Visit), Ids(Photo)
        self.hazard_ids, self.event_ids = Ids(Hazard), Ids(HazardEvent)


class Writer:
    """Turns a chunk of planned visits into rows: visits, people, hazards and their lives,
    photos, events, answers, and the many-to-many rows between them."""

    def __init__(self, lives: Lives, tally: Tally, rng: random.Random) -> None:
        self.lives, self.tally, self.rng = lives, tally, rng
        self.t = Tables()
        # A double-random inspection carries out its drawn enterprise (Visit.purpose).
        self.drawn_type_id = ContentType.objects.get_for_model(DrawItem).pk

    def _near(self, value: Decimal | None) -> Decimal | None:
        if value is None:
            return None
        return Decimal(f"{float(value) + self.rng.uniform(-0.0003, 0.0003):.6f}")

    def _visit(self, p: Plan) -> Row:
        inspected = p.outcome == Outcome.INSPECTED
        return {
            "client_uuid": uuid.UUID(int=self.rng.getrandbits(128), version=4),
            "kind": p.kind,
            "enterprise_id": p.ent.id,
            "grid_id": p.ent.grid_id,
            "office_id": p.ent.office_id,
            "zone_id": p.ent.zone_id,
            "recorded_by_id": p.by,
            "started_at": p.start,
            "ended_at": p.end,
            "visited_on": p.day,
            "latitude": self._near(p.ent.lat),
            "longitude": self._near(p.ent.lng),
            "outcome": p.outcome,
            "checklist_version_id": p.pick.version_id if p.pick and inspected else None,
            "note": "" if inspected else OUTCOME_NOTES.get(p.outcome, ""),
            "purpose_type_id": self.drawn_type_id if p.draw_item_id else None,
            "purpose_id": p.draw_item_id,
            "created_at": p.end,
        }

    def _items(self, p: Plan) -> list[ChecklistItem | None]:
        """The checklist item behind each hazard of the visit, if any: a non-compliant answer
        creates exactly one hazard, and only a major_direct item makes a major one."""
        linked: list[ChecklistItem | None] = [None] * p.hazards
        if not p.pick:
            return linked
        direct = [i for i in p.pick.items if i.determination == Determination.MAJOR_DIRECT]
        other = [i for i in p.pick.items if i.determination != Determination.MAJOR_DIRECT]
        self.rng.shuffle(direct)
        self.rng.shuffle(other)
        for n in range(p.hazards):
            pool = direct if n < p.majors else other
            if pool and (n < p.majors or self.rng.random() < 0.6):
                linked[n] = pool.pop()
        return linked

    def write(self, plans: list[Plan]) -> None:
        visits = [self._visit(p) for p in plans]
        self.t.visit_ids.assign(visits)
        people = [
            {"visit_id": v["id"], "user_id": u}
            for v, p in zip(visits, plans, strict=True)
            for u in dict.fromkeys(p.people)
        ]
        lives: list[Life] = []
        answers: list[Row] = []
        for p, v in zip(plans, visits, strict=True):
            self.tally.visits[p.kind] += 1
            self.tally.outcomes[p.outcome] += 1
            if p.outcome != Outcome.INSPECTED:
                continue
            linked = self._items(p)
            for n, item in enumerate(linked):
                at = p.end + datetime.timedelta(seconds=n)
                major = n < p.majors
                life = Life(self.lives.hazard(p, v["id"], at, item, major), self.lives.now)
                build = self.lives.major if major else self.lives.general
                build(life, p, at, v["latitude"], v["longitude"])
                lives.append(life)
            if p.pick:
                answers += self._answers(v["id"], p.pick, {i.pk for i in linked if i})
        self.t.visits.insert(visits)
        self.t.people.insert(people)
        self._save(lives)
        self.t.answers.insert(answers)
        self.tally.answers += len(answers)

    def _answers(self, visit_id: int, pick: Pick, failed: set[int]) -> list[Row]:
        rows = []
        for item in pick.items:
            if item.pk in failed:
                result = Result.NON_COMPLIANT
            else:
                result = Result.COMPLIANT if self.rng.random() < 0.88 else Result.NOT_APPLICABLE
            rows.append({"visit_id": visit_id, "item_id": item.pk, "result": result})
        return rows

    def _save(self, lives: list[Life]) -> None:
        t = self.t
        photos = [ph for life in lives for ph in (*life.before, *life.after)]
        t.photo_ids.assign(photos)
        hazards = [vars(life.h) for life in lives]
        t.hazard_ids.assign(hazards)
        events: list[Row] = []
        shown: list[Row] = []
        before: list[Row] = []
        after: list[Row] = []
        event_ids = iter(t.event_ids.take(sum(len(life.steps) for life in lives)))
        for life in lives:
            pk = life.h.id
            before += [{"hazard_id": pk, "photo_id": ph["id"]} for ph in life.before]
            after += [{"hazard_id": pk, "photo_id": ph["id"]} for ph in life.after]
            for s in life.steps:
                event_id = next(event_ids)
                events.append(
                    {
                        "id": event_id,
                        "hazard_id": pk,
                        "action": s.taken.action,
                        "from_status": s.taken.from_status,
                        "to_status": s.taken.to_status,
                        "actor_id": s.taken.by_id,
                        "at": s.taken.at,
                        "note": s.taken.note,
                        "data": s.taken.data,
                        "latitude": s.lat,
                        "longitude": s.lng,
                    }
                )
                shown += [{"hazardevent_id": event_id, "photo_id": ph["id"]} for ph in s.photos]
            self.tally.add(life)
        t.photos.insert(photos)
        t.hazards.insert(hazards)
        t.before.insert(before)
        t.after.insert(after)
        t.events.insert(events)
        t.event_photos.insert(shown)
        self.tally.photos += len(photos)


# --- the entry point ----------------------------------------------------------------------------


def seed_activity(
    zone: Region,
    *,
    seed: int,
    year: int,
    volume: float | None = None,
    now: datetime.datetime | None = None,
    say: Callable[[str], None] = lambda _line: None,
) -> Tally:
    """Load `year`'s field work and hazards in `zone`, and this year's up to yesterday.

    `volume` is the share of the article's zone-year (default: the zone's enterprises / 2,500,
    so a city-scale zone gets twenty times the activity). Deterministic for a seed and a `now`.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if connection.vendor == "sqlite":
        # Random client UUIDs land all over their unique indexes: with SQLite's default 2 MB
        # page cache most inserts would read index pages back from disk.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    rng = random.Random(f"anjian-demo-activity-{seed}")
    # Read once: the years of work, and a year beyond for the deadlines they set.
    calendar = Calendar.load(datetime.date(year, 1, 1), datetime.date(today.year + 1, 12, 31))
    ents = load_enterprises(zone)
    volume = len(ents) / ENTERPRISES_PER_ZONE if volume is None else volume
    cast = load_cast(zone)
    spans = periods(year, today, calendar)
    agency_of = engage_agencies(zone, ents, cast, [p.first.year for p in spans], rng)
    planner = Planner(ents, cast, agency_of, Checklists(), calendar, rng)
    tally = Tally(year=year, today=today)
    lives = Lives(cast, calendar, Photos(zone.pk, rng), now, rng)
    writer = Writer(lives, tally, rng)
    for period in spans:
        plans = planner.plan(period, volume)
        say(f"activity {period.label}: {len(plans):,} visits planned")
        for start in range(0, len(plans), CHUNK):
            writer.write(plans[start : start + CHUNK])
            if (start // CHUNK) % 10 == 9:
                say(
                    f"  visits {start + CHUNK:,}/{len(plans):,}, hazards {sum(tally.hazards.values()):,}"
                )
    say(summary(tally))
    return tally


def summary(t: Tally) -> str:
    visits = sum(t.visits.values())
    not_checked = visits - t.outcomes[Outcome.INSPECTED]
    hazards = sum(t.hazards.values())
    open_now = sum(n for s, n in t.statuses.items() if s not in ("closed", "void", "written_off"))
    share = t.year_closed / t.year_found if t.year_found else 0.0
    return (
        f"  {visits:,} visits ({t.visits[K.PATROL]:,} patrols; {not_checked:,} not inspections: "
        f"{not_checked / max(visits, 1):.1%}), {hazards:,} hazards ({t.hazards[Finder.GRID]:,} by "
        f"grid workers, {t.majors} major), {t.events:,} events, {t.photos:,} photos, "
        f"{t.answers:,} answers\n"
        f"  {t.year}: {t.year_found:,} hazards, {t.year_closed:,} closed by 31 Dec ({share:.1%}), "
        f"{t.year_rectified:,} rectified; now {open_now:,} open, {t.overdue:,} overdue"
    )
