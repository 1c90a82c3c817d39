"""Coverage (检查覆盖): supervision visits required against visits done, per enterprise in a
period, rolled up per grid and per person, with the enterprises not yet visited.

Required comes from the coverage policy table (the most specific matching row; a zone's own
table replaces the platform defaults). Done counts checks: visits whose outcome is
"inspected". Visits that found the door closed, locked, moved and so on are counted apart,
per outcome. Self-inspections are the enterprise's own and count for nothing here.

Everything is aggregated in SQL: a handful of queries whatever the number of enterprises.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.accounts.permissions import can
from anjian.accounts.scope import scope_of
from anjian.audit.log import diff, record
from anjian.enterprises.models import Enterprise, Status
from anjian.fieldwork.models import CoveragePolicy, Outcome, PolicyPeriod, Visit, VisitKind
from anjian.lib.errors import NotAllowed
from anjian.lib.paging import DEFAULT_LIMIT, MAX_LIMIT, BadCursor
from anjian.regions.models import GridAssignment

PERIOD_MONTHS = {PolicyPeriod.MONTH: 1, PolicyPeriod.QUARTER: 3, PolicyPeriod.YEAR: 12}
COUNTED_KINDS = [k for k in VisitKind.values if k != VisitKind.SELF_INSPECTION]
PERIOD_RE = re.compile(r"^(\d{4})(?:-?Q([1-4])|-?M?(0?[1-9]|1[0-2]))?$", re.IGNORECASE)
POLICY_FIELDS = [
    "sector", "risk_class", "standardization_grade", "visits", "period", "source_tag", "source",
]  # fmt: skip


class CoverageError(ValueError):
    """Input coverage cannot be computed or a policy saved with; names the field."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Period:
    """A calendar month, quarter or year; `end` is its last day."""

    start: datetime.date
    end: datetime.date
    months: int
    code: str

    @classmethod
    def parse(cls, text: str) -> Period:
        """ "2026Q3" / "2026-Q3", "2026-07" / "2026M07", or "2026"."""
        m = PERIOD_RE.match(text.strip())
        if m is None:
            raise CoverageError(_("Use a period like 2026Q3, 2026-07 or 2026."), "period")
        year, quarter, month = int(m[1]), m[2], m[3]
        if quarter:
            return cls._make(year, 3 * int(quarter) - 2, 3, f"{year}Q{quarter}")
        if month:
            return cls._make(year, int(month), 1, f"{year}-{int(month):02d}")
        return cls._make(year, 1, 12, str(year))

    @classmethod
    def current_quarter(cls, today: datetime.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls.parse(f"{today.year}Q{(today.month - 1) // 3 + 1}")

    @classmethod
    def _make(cls, year: int, month: int, months: int, code: str) -> Period:
        if not 2000 <= year <= 2100:
            raise CoverageError(_("Use a year between 2000 and 2100."), "period")
        start = datetime.date(year, month, 1)
        after = month + months
        next_start = datetime.date(year + (after - 1) // 12, (after - 1) % 12 + 1, 1)
        return cls(start, next_start - datetime.timedelta(days=1), months, code)


def required_in(policy: CoveragePolicy | None, period: Period) -> int:
    """Visits the policy asks for in the period: per whole policy period inside it (a
    quarterly rule asks nothing of a single month)."""
    if policy is None:
        return 0
    unit = PERIOD_MONTHS[PolicyPeriod(policy.period)]
    return policy.visits * (period.months // unit)


def _specificity(p: CoveragePolicy) -> tuple[int, int]:
    per_year = p.visits * 12 // PERIOD_MONTHS[PolicyPeriod(p.period)]
    return (bool(p.sector) + bool(p.risk_class) + bool(p.standardization_grade), per_year)


class Rules:
    """The policy rows of a zone, most specific first (ties: the stricter row wins)."""

    def __init__(self, policies: list[CoveragePolicy]) -> None:
        self.policies = sorted(policies, key=_specificity, reverse=True)
        self._cache: dict[tuple[str, str, str], CoveragePolicy | None] = {}

    def match(self, sector: str, risk_class: str, grade: str) -> CoveragePolicy | None:
        key = (sector, risk_class, grade)
        if key not in self._cache:
            self._cache[key] = next(
                (
                    p
                    for p in self.policies
                    if p.sector in ("", sector)
                    and p.risk_class in ("", risk_class)
                    and p.standardization_grade in ("", grade)
                ),
                None,
            )
        return self._cache[key]


def zone_policies(zone_id: int | None) -> tuple[list[CoveragePolicy], bool]:
    """(the rows that apply in the zone, whether they are the zone's own)."""
    rows = list(CoveragePolicy.objects.filter(Q(zone_id=zone_id) | Q(zone__isnull=True)))
    own = [p for p in rows if p.zone_id is not None]
    return (own, True) if own else ([p for p in rows if p.zone_id is None], False)


@dataclass
class EnterpriseRow:
    id: int
    name: str
    grid_id: int
    grid_name: str
    office_id: int
    sector: str
    risk_class: str
    standardization_grade: str
    status: str
    required: int = 0
    done: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    last_visit: datetime.date | None = None
    policy_id: int | None = None

    @property
    def other(self) -> int:
        return sum(self.outcomes.values())

    @property
    def outcome_labels(self) -> list[tuple[str, int]]:
        return [(str(Outcome(o).label), n) for o, n in sorted(self.outcomes.items())]

    @property
    def met(self) -> bool:
        return self.required > 0 and self.done >= self.required

    @property
    def unvisited(self) -> bool:
        """Required to be checked and not checked at all (a locked door is not a check)."""
        return self.required > 0 and self.done == 0

    @property
    def due(self) -> bool:
        return self.done < self.required


STATES = {
    "due": lambda r: r.due,
    "unvisited": lambda r: r.unvisited,
    "met": lambda r: r.met,
}


@dataclass
class GridRow:
    grid_id: int
    grid_name: str
    office_id: int
    enterprises: int = 0
    met: int = 0
    unvisited: int = 0
    required: int = 0
    checks: int = 0
    other: int = 0

    @property
    def rate(self) -> float | None:
        return round(self.met / self.enterprises, 4) if self.enterprises else None


@dataclass
class PersonRow:
    user_id: int
    name: str
    role: str
    grids: list[str] = field(default_factory=list)
    required: int | None = None
    unvisited: int | None = None
    checks: int = 0
    enterprises: int = 0
    other: int = 0


@dataclass
class CoverageQuery:
    """What a coverage question is about: the user's reach, narrowed to an office or grid."""

    user: User
    period: Period
    office_id: int | None = None
    grid_id: int | None = None

    def enterprises(self) -> QuerySet[Enterprise]:
        qs = Enterprise.objects.visible_to(self.user)
        if self.office_id:
            qs = qs.filter(office_id=self.office_id)
        if self.grid_id:
            qs = qs.filter(grid_id=self.grid_id)
        return qs

    def visits(self) -> QuerySet[Visit]:
        return Visit.objects.visible_to(self.user).filter(
            enterprise_id__in=self.enterprises().values("id"),
            visited_on__gte=self.period.start,
            visited_on__lte=self.period.end,
            kind__in=COUNTED_KINDS,
        )


ROW_COLUMNS = ["id", "name", "grid_id", "grid__name", "office_id", "sector", "risk_class",
               "standardization_grade", "status"]  # fmt: skip


def enterprise_rows(query: CoverageQuery) -> list[EnterpriseRow]:
    """One row per enterprise that is operating or was visited in the period, by name.
    Three queries: the enterprises, the visits grouped by enterprise and outcome, the rules.

    Rows are tuples, not dicts or models: at zone scale (2,500 enterprises) building them is
    most of the time this takes."""
    rows = {
        t[0]: EnterpriseRow(*t) for t in query.enterprises().order_by().values_list(*ROW_COLUMNS)
    }
    grouped = (
        query.visits()
        .values("enterprise_id", "outcome")
        .annotate(n=Count("id"), last=Max("visited_on"))
        .values_list("enterprise_id", "outcome", "n", "last")
        .order_by()
    )
    visited = set()
    for enterprise_id, outcome, n, last in grouped:
        row = rows.get(enterprise_id)
        if row is None:
            continue
        visited.add(enterprise_id)
        if outcome == Outcome.INSPECTED:
            row.done += n
        else:
            row.outcomes[outcome] = row.outcomes.get(outcome, 0) + n
        if row.last_visit is None or last > row.last_visit:
            row.last_visit = last
    rules = Rules(zone_policies(scope_of(query.user).zone_id)[0])
    listed = []
    for row in rows.values():
        if row.status == Status.OPERATING:
            policy = rules.match(row.sector, row.risk_class, row.standardization_grade)
            row.required = required_in(policy, query.period)
            row.policy_id = policy.pk if policy else None
        elif row.id not in visited:
            continue  # closed, moved…: listed only when visited in the period
        listed.append(row)
    # Sorted here, not in SQL: PostgreSQL's collation may order names differently from
    # Python, and page_rows compares in Python.
    return sorted(listed, key=lambda r: (r.name, r.id))


def grid_rows(rows: list[EnterpriseRow]) -> list[GridRow]:
    grids: dict[int, GridRow] = {}
    for r in rows:
        g = grids.setdefault(r.grid_id, GridRow(r.grid_id, r.grid_name, r.office_id))
        g.checks += r.done
        g.other += r.other
        if r.required:
            g.enterprises += 1
            g.required += r.required
            g.met += r.met
            g.unvisited += r.unvisited
    return sorted(grids.values(), key=lambda g: (g.grid_name, g.grid_id))


def person_rows(query: CoverageQuery, rows: list[EnterpriseRow]) -> list[PersonRow]:
    """Everyone who took part in a visit in the period, and every grid worker with a term
    in one of the grids then. Two queries."""
    people: dict[int, PersonRow] = {}
    by_grid: dict[int, list[EnterpriseRow]] = {}
    for r in rows:
        by_grid.setdefault(r.grid_id, []).append(r)
    terms = (
        GridAssignment.objects.filter(
            grid_id__in=query.enterprises().values("grid_id"), starts_on__lte=query.period.end
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=query.period.start))
        .values(
            "user_id", "user__username", "user__display_name", "user__role", "grid_id", "grid__name"
        )
        .distinct()
    )
    for t in terms:
        p = _person(people, t["user_id"], t)
        if t["grid__name"] in p.grids:
            continue
        p.grids.append(t["grid__name"])
        mine = by_grid.get(t["grid_id"], [])
        p.required = (p.required or 0) + sum(r.required for r in mine)
        p.unvisited = (p.unvisited or 0) + sum(r.unvisited for r in mine)
    inspected = Q(visit__outcome=Outcome.INSPECTED)
    took_part = (
        Visit.people.through.objects.filter(visit__in=query.visits())
        .values("user_id", "user__username", "user__display_name", "user__role")
        .annotate(
            checks=Count("visit_id", filter=inspected),
            enterprises=Count("visit__enterprise_id", filter=inspected, distinct=True),
            other=Count("visit_id", filter=~inspected),
        )
    )
    for v in took_part.order_by():
        p = _person(people, v["user_id"], v)
        p.checks, p.enterprises, p.other = v["checks"], v["enterprises"], v["other"]
    return sorted(people.values(), key=lambda p: (p.name, p.user_id))


def _person(people: dict[int, PersonRow], user_id: int, row: Mapping[str, Any]) -> PersonRow:
    if user_id not in people:
        name = row["user__display_name"] or row["user__username"]
        people[user_id] = PersonRow(user_id, name, row["user__role"])
    return people[user_id]


def totals(rows: list[EnterpriseRow]) -> dict[str, Any]:
    outcomes: Counter[str] = Counter()
    for r in rows:
        outcomes.update(r.outcomes)
    due = [r for r in rows if r.required]
    met = sum(r.met for r in due)
    return {
        "enterprises": len(due),
        "met": met,
        "unvisited": sum(r.unvisited for r in due),
        "required": sum(r.required for r in due),
        "checks": sum(r.done for r in rows),
        "other": sum(outcomes.values()),
        "other_by_outcome": dict(sorted(outcomes.items())),
        "rate": round(met / len(due), 4) if due else None,
    }


# --- The policy table ----------------------------------------------------------------------


def _zone_admin(by: User) -> int:
    if not can(by, "coverage.manage"):
        raise NotAllowed("coverage.manage")
    zone_id = scope_of(by).zone_id
    if zone_id is None:
        raise NotAllowed("coverage.manage")
    return zone_id


def get_policy_for(user: User, pk: int, *, write: bool = False) -> CoveragePolicy:
    """A policy row the user can see; for a write, one of their zone's own rows."""
    policy = CoveragePolicy.objects.visible_to(user).filter(pk=pk).first()
    if policy is None:
        raise Http404("policy")
    if write and (policy.zone_id is None or policy.zone_id != _zone_admin(user)):
        raise NotAllowed(
            "coverage.manage", _("The defaults are not edited: adopt them for your zone first.")
        )
    return policy


@transaction.atomic
def adopt_defaults(*, by: User) -> list[CoveragePolicy]:
    """Give the zone its own copy of the default rows, to edit; it replaces the defaults."""
    zone_id = _zone_admin(by)
    if CoveragePolicy.objects.filter(zone_id=zone_id).exists():
        raise CoverageError(_("Your zone has its own table already."), "zone")
    copies = [
        CoveragePolicy(zone_id=zone_id, **{f: getattr(p, f) for f in POLICY_FIELDS})
        for p in CoveragePolicy.objects.filter(zone__isnull=True)
    ]
    CoveragePolicy.objects.bulk_create(copies)
    for p in CoveragePolicy.objects.filter(zone_id=zone_id):
        record(
            by,
            "coverage_policy.adopt",
            p,
            changes={f: [None, getattr(p, f)] for f in POLICY_FIELDS},
        )
    return copies


def _check_unique(zone_id: int, data: dict[str, Any], pk: int | None) -> None:
    taken = CoveragePolicy.objects.filter(
        zone_id=zone_id,
        sector=data["sector"],
        risk_class=data["risk_class"],
        standardization_grade=data["standardization_grade"],
    )
    if pk is not None:
        taken = taken.exclude(pk=pk)
    if taken.exists():
        raise CoverageError(_("Your zone already has a rule for these enterprises."), "sector")


@transaction.atomic
def save_policy(
    data: dict[str, Any], *, by: User, policy: CoveragePolicy | None = None
) -> CoveragePolicy:
    """Add a row to the zone's table, or change one of its rows."""
    zone_id = _zone_admin(by)
    if policy is None and not CoveragePolicy.objects.filter(zone_id=zone_id).exists():
        raise CoverageError(_("Adopt the defaults for your zone first."), "zone")
    if policy is not None:
        policy = CoveragePolicy.objects.select_for_update().get(pk=policy.pk, zone_id=zone_id)
    _check_unique(zone_id, data, policy.pk if policy else None)
    before = {f: getattr(policy, f) for f in POLICY_FIELDS} if policy else {}
    policy = policy or CoveragePolicy(zone_id=zone_id)
    for f in POLICY_FIELDS:
        setattr(policy, f, data[f])
    policy.save()
    changes = diff(before, {f: getattr(policy, f) for f in POLICY_FIELDS})
    record(by, "coverage_policy.save", policy, changes=changes)
    return policy


@transaction.atomic
def delete_policy(policy: CoveragePolicy, *, by: User) -> None:
    zone_id = _zone_admin(by)
    policy = CoveragePolicy.objects.select_for_update().get(pk=policy.pk, zone_id=zone_id)
    record(
        by,
        "coverage_policy.delete",
        policy,
        changes={f: [getattr(policy, f), None] for f in POLICY_FIELDS},
    )
    policy.delete()


# --- Paging the computed rows --------------------------------------------------------------


def _encode(name: str, pk: int) -> str:
    raw = json.dumps([name, pk], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[str, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, pk = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadCursor("cursor is not valid") from exc
    if not isinstance(name, str) or not isinstance(pk, int):
        raise BadCursor("cursor is not valid")
    return name, pk


def page_rows(
    rows: list[EnterpriseRow], cursor: str | None, limit: int = DEFAULT_LIMIT
) -> tuple[list[EnterpriseRow], str | None]:
    """A keyset page of rows already ordered by (name, id), like lib.paging for querysets."""
    limit = max(1, min(limit, MAX_LIMIT))
    if cursor:
        after = _decode(cursor)
        rows = [r for r in rows if (r.name, r.id) > after]
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], _encode(last.name, last.id)
