"""Coverage (检查覆盖): supervision visits required against visits done, per enterprise in a
period, rolled up per grid and per person, with the enterprises not yet visited.

Required comes from the coverage policy table (the most specific matching row; a zone's own
table replaces the platform defaults). Done counts checks: visits whose outcome is
"inspected". Visits that found the door closed, locked, moved and so on are counted apart,
per outcome. Self-inspections are the enterprise's own and count for nothing here.

Everything is computed, filtered and paged in SQL: a handful of queries whatever the number
of enterprises, and a page reads only its own rows.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.accounts.permissions import can
from anjian.accounts.scope import scope_of
from anjian.audit.log import diff, record, record_many
from anjian.coverage.models import CoveragePolicy, PolicyPeriod
from anjian.enterprises.models import Enterprise, Status
from anjian.fieldwork.models import Outcome, Visit, VisitKind
from anjian.lib.errors import InvalidInput, NotAllowed
from anjian.lib.paging import DEFAULT_LIMIT, keyset_page
from anjian.lib.periods import Period
from anjian.regions.models import Grid, GridAssignment

PERIOD_MONTHS = {PolicyPeriod.MONTH: 1, PolicyPeriod.QUARTER: 3, PolicyPeriod.YEAR: 12}
# Runs a read-only statement with its parameters, returning its rows.
Fetch = Callable[[str, Sequence[Any]], Sequence[Sequence[Any]]]
COUNTED_KINDS = [k for k in VisitKind.values if k != VisitKind.SELF_INSPECTION]
POLICY_FIELDS = [
    "sector", "risk_class", "standardization_grade", "visits", "period", "source_tag", "source",
]  # fmt: skip


class CoverageError(InvalidInput):
    """Input coverage cannot be computed or a policy saved with; names the field."""


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


# The list's states as SQL over query.rows(), meaning what EnterpriseRow's properties say.
STATE_FILTERS = {
    "required": Q(required__gt=0),
    "due": Q(done__lt=F("required")),
    "unvisited": Q(required__gt=0, done=0),
    "met": Q(required__gt=0, done__gte=F("required")),
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
    # Narrowed to some offices of the reach (the statistics layer counts again only the
    # offices whose visits were written).
    offices: tuple[int, ...] | None = None

    def enterprises(self) -> QuerySet[Enterprise]:
        qs = Enterprise.objects.visible_to(self.user)
        if self.office_id:
            qs = qs.filter(office_id=self.office_id)
        if self.offices is not None:
            qs = qs.filter(office_id__in=self.offices)
        if self.grid_id:
            qs = qs.filter(grid_id=self.grid_id)
        return qs

    def narrowed(self, offices: Iterable[int]) -> CoverageQuery:
        """The same question about some of its offices, under the same policy rows (read
        once: a policy edited in between does not mix into one answer)."""
        rules = self.rules
        narrowed = copy.copy(self)
        narrowed.offices = tuple(offices)
        narrowed.rules = rules  # type: ignore[misc]
        return narrowed

    def visits(self) -> QuerySet[Visit]:
        return Visit.objects.visible_to(self.user).filter(
            enterprise_id__in=self.enterprises().values("id"),
            visited_on__gte=self.period.start,
            visited_on__lte=self.period.end,
            kind__in=COUNTED_KINDS,
        )

    @cached_property
    def rules(self) -> Rules:
        return Rules(zone_policies(scope_of(self.user).zone_id)[0])

    def rows(self, state: str = "") -> QuerySet[Enterprise]:
        """The enterprises listed for the period, each annotated in SQL with what is
        required of it (`required`, `policy_id`), its checks (`done`) and its other visits
        (`other`); narrowed to a state of STATE_FILTERS when given.

        Listed: every operating enterprise, and the others (closed, moved…) when visited in
        the period."""
        required, policy_id = _policy_cases(self.rules, self.period)
        qs = (
            self.enterprises()
            .annotate(
                required=required,
                policy_id=policy_id,
                done=_visit_count(self.period, inspected=True),
                other=_visit_count(self.period, inspected=False),
            )
            .filter(Q(status=Status.OPERATING) | Q(done__gt=0) | Q(other__gt=0))
        )
        return qs.filter(STATE_FILTERS[state]) if state else qs


def _period_visits(period: Period) -> QuerySet[Visit]:
    """The counted visits of the enterprise of the outer query in the period (the scope is
    the outer query's: a visit's visibility is its enterprise's)."""
    return Visit.objects.filter(
        enterprise_id=OuterRef("pk"),
        visited_on__gte=period.start,
        visited_on__lte=period.end,
        kind__in=COUNTED_KINDS,
    ).order_by()


def _visit_count(period: Period, *, inspected: bool) -> Coalesce:
    visits = _period_visits(period)
    is_check = Q(outcome=Outcome.INSPECTED)
    visits = visits.filter(is_check) if inspected else visits.exclude(is_check)
    counted = visits.values("enterprise_id").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _policy_cases(rules: Rules, period: Period) -> tuple[Case, Case]:
    """Rules.match as two SQL CASEs (visits required, policy id), most specific row first;
    only operating enterprises are required to be visited."""
    required: list[When] = [When(~Q(status=Status.OPERATING), then=Value(0))]
    policy: list[When] = [When(~Q(status=Status.OPERATING), then=Value(None))]
    fallback: CoveragePolicy | None = None
    for p in rules.policies:
        condition = {f: getattr(p, f) for f in MATCHED_ON if getattr(p, f)}
        if not condition:
            fallback = p  # matches everything: the rows after it are never reached
            break
        required.append(When(Q(**condition), then=Value(required_in(p, period))))
        policy.append(When(Q(**condition), then=Value(p.pk)))
    return (
        Case(*required, default=Value(required_in(fallback, period)), output_field=IntegerField()),
        Case(
            *policy,
            default=Value(fallback.pk if fallback else None),
            output_field=IntegerField(null=True),
        ),
    )


MATCHED_ON = ("sector", "risk_class", "standardization_grade")
ROW_COLUMNS = ["id", "name", "grid_id", "grid__name", "office_id", "sector", "risk_class",
               "standardization_grade", "status", "required", "done", "policy_id"]  # fmt: skip


def _enterprise_row(values: dict[str, Any]) -> EnterpriseRow:
    row = EnterpriseRow(*(values[c] for c in ROW_COLUMNS[:9]))
    row.required, row.done, row.policy_id = values["required"], values["done"], values["policy_id"]
    return row


def _with_other_visits(query: CoverageQuery, rows: list[EnterpriseRow]) -> list[EnterpriseRow]:
    """Fill in each row's other outcomes and last visit: one query for the rows given."""
    by_id = {r.id: r for r in rows}
    # The rows' own ids, not query.visits()'s subquery of every enterprise in reach (the
    # rows are in it already): SQLite planned that one over the whole period's visits.
    grouped = (
        Visit.objects.visible_to(query.user)
        .filter(
            enterprise_id__in=list(by_id),
            visited_on__gte=query.period.start,
            visited_on__lte=query.period.end,
            kind__in=COUNTED_KINDS,
        )
        .values("enterprise_id", "outcome")
        .annotate(n=Count("id"), last=Max("visited_on"))
        .values_list("enterprise_id", "outcome", "n", "last")
        .order_by()
    )
    for enterprise_id, outcome, n, last in grouped:
        row = by_id[enterprise_id]
        if outcome != Outcome.INSPECTED:
            row.outcomes[outcome] = row.outcomes.get(outcome, 0) + n
        if row.last_visit is None or last > row.last_visit:
            row.last_visit = last
    return rows


@dataclass
class RowPage:
    items: list[EnterpriseRow]
    next: str | None
    count: int | None = None


def page_rows(
    query: CoverageQuery,
    state: str = "",
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
    with_count: bool = False,
) -> RowPage:
    """A keyset page of the listed enterprises by (name, id), computed and paged in the
    database (lib.paging); raises BadCursor for a cursor this server did not make."""
    qs = query.rows(state).values(*ROW_COLUMNS)
    page = keyset_page(qs, key="name", cursor=cursor, limit=limit, with_count=with_count)
    rows = _with_other_visits(query, [_enterprise_row(v) for v in page.items])
    return RowPage(items=rows, next=page.next, count=page.count)


def enterprise_rows(query: CoverageQuery, state: str = "") -> list[EnterpriseRow]:
    """Every listed enterprise, by name (for exports and tests; pages use page_rows)."""
    values = query.rows(state).order_by("name", "id").values(*ROW_COLUMNS)
    return _with_other_visits(query, [_enterprise_row(v) for v in values])


def grid_rows(query: CoverageQuery, fetch: Fetch | None = None) -> list[GridRow]:
    """Per grid of the listed enterprises, by grid name: one grouped query (run by `fetch`
    when given)."""
    sql, params = grid_rows_statement(query)
    if fetch is not None:
        grouped = fetch(sql, params)
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            grouped = cursor.fetchall()
    return grid_rows_of(grouped)


def grid_rows_of(grouped: Sequence[Sequence[Any]]) -> list[GridRow]:
    """GridRows from the rows of `grid_rows_statement`."""
    return [
        GridRow(grid_id, name, office_id, *map(int, counts))
        for grid_id, name, office_id, *counts in grouped
    ]


# The column of grid_rows_statement's rows that holds the grid's office.
GRID_ROW_OFFICE = 2


def grid_rows_statement(query: CoverageQuery) -> tuple[str, list[Any]]:
    """The grouped query behind `grid_rows`, as (SQL, parameters).

    Each enterprise's checks and other visits in the period are counted once, as a grouped
    table of visits joined to the enterprises: the same figures as `rows()`'s per-row counts,
    whose correlated count SQLite runs again for every aggregate that reads it (six times
    per enterprise: ~4× the work at city scale)."""
    required, _policy = _policy_cases(query.rules, query.period)
    enterprises = (
        query.enterprises()
        .annotate(required=required)
        .values("id", "grid_id", "office_id", "status", "required")
        .order_by()
    )
    inspected = Q(outcome=Outcome.INSPECTED)
    visits = (
        Visit.objects.filter(
            enterprise_id__in=query.enterprises().values("id"),
            visited_on__gte=query.period.start,
            visited_on__lte=query.period.end,
            kind__in=COUNTED_KINDS,
        )
        .values("enterprise_id")
        .annotate(done=Count("id", filter=inspected), other=Count("id", filter=~inspected))
        .order_by()
    )
    e_sql, e_params = enterprises.query.sql_with_params()
    v_sql, v_params = visits.query.sql_with_params()
    due = 'e."required" > 0'
    done = 'COALESCE(v."done", 0)'
    sql = (
        f'SELECT e."grid_id", g."name", e."office_id", '
        f"SUM(CASE WHEN {due} THEN 1 ELSE 0 END), "
        f'SUM(CASE WHEN {due} AND {done} >= e."required" THEN 1 ELSE 0 END), '
        f"SUM(CASE WHEN {due} AND {done} = 0 THEN 1 ELSE 0 END), "
        f'COALESCE(SUM(e."required"), 0), COALESCE(SUM(v."done"), 0), '
        f'COALESCE(SUM(v."other"), 0) '
        f"FROM ({e_sql}) e "
        f'JOIN {Grid._meta.db_table} g ON g."id" = e."grid_id" '
        f'LEFT JOIN ({v_sql}) v ON v."enterprise_id" = e."id" '
        f'WHERE e."status" = %s OR {done} > 0 OR COALESCE(v."other", 0) > 0 '
        f'GROUP BY e."grid_id", g."name", e."office_id" ORDER BY g."name", e."grid_id"'
    )
    return sql, [*e_params, *v_params, Status.OPERATING]


def _rows(qs: QuerySet[Any], fetch: Fetch | None) -> Sequence[Sequence[Any]]:
    """A values_list query's rows, run by `fetch` when given."""
    if fetch is None:
        return list(qs)
    return fetch(*qs.query.sql_with_params())


# The columns person_rows reads of a grid term and of a person.
TERM_COLUMNS = ("user_id", "user__username", "user__display_name", "user__role", "grid_id",
                "grid__name")  # fmt: skip
PERSON_COLUMNS = ("user_id", "user__username", "user__display_name", "user__role")


def person_rows(
    query: CoverageQuery, grids: list[GridRow], fetch: Fetch | None = None
) -> list[PersonRow]:
    """Everyone who took part in a visit in the period, and every grid worker with a term
    in one of the grids then (with what is required and not yet visited in those grids).
    Two queries (run by `fetch` when given)."""
    people: dict[int, PersonRow] = {}
    by_grid = {g.grid_id: g for g in grids}
    terms = (
        GridAssignment.objects.filter(
            grid_id__in=query.enterprises().values("grid_id"), starts_on__lte=query.period.end
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=query.period.start))
        .values_list(*TERM_COLUMNS)
        .distinct()
    )
    for values in _rows(terms, fetch):
        # (DISTINCT selects the columns the terms are ordered by too: by grid, newest first.)
        t = dict(zip(TERM_COLUMNS, values[: len(TERM_COLUMNS)], strict=True))
        p = _person(people, t["user_id"], t)
        if t["grid__name"] in p.grids:
            continue
        p.grids.append(t["grid__name"])
        grid = by_grid.get(t["grid_id"])
        p.required = (p.required or 0) + (grid.required if grid else 0)
        p.unvisited = (p.unvisited or 0) + (grid.unvisited if grid else 0)
    inspected = Q(visit__outcome=Outcome.INSPECTED)
    took_part = (
        Visit.people.through.objects.filter(visit__in=query.visits())
        .values(*PERSON_COLUMNS)
        .annotate(
            checks=Count("visit_id", filter=inspected),
            enterprises=Count("visit__enterprise_id", filter=inspected, distinct=True),
            other=Count("visit_id", filter=~inspected),
        )
        .values_list(*PERSON_COLUMNS, "checks", "enterprises", "other")
        .order_by()
    )
    for values in _rows(took_part, fetch):
        v = dict(zip((*PERSON_COLUMNS, "checks", "enterprises", "other"), values, strict=True))
        p = _person(people, v["user_id"], v)
        p.checks, p.enterprises, p.other = v["checks"], v["enterprises"], v["other"]
    return sorted(people.values(), key=lambda p: (p.name, p.user_id))


def _person(people: dict[int, PersonRow], user_id: int, row: Mapping[str, Any]) -> PersonRow:
    if user_id not in people:
        name = row["user__display_name"] or row["user__username"]
        people[user_id] = PersonRow(user_id, name, row["user__role"])
    return people[user_id]


# What each state's list counts, as sums over the grid rows (grid_rows_statement counts the
# same enterprises): the page takes its list's total from the rows it shows anyway.
STATE_TOTALS: dict[str, Callable[[GridRow], int]] = {
    "required": lambda g: g.enterprises,
    "due": lambda g: g.enterprises - g.met,
    "unvisited": lambda g: g.unvisited,
    "met": lambda g: g.met,
}


def listed_in(grids: list[GridRow], state: str) -> int | None:
    """How many enterprises the list of `state` holds, from the grid rows; None for a state
    they do not count (every listed enterprise: count the list itself)."""
    total = STATE_TOTALS.get(state)
    return None if total is None else sum(total(g) for g in grids)


def totals(
    query: CoverageQuery, grids: list[GridRow], fetch: Fetch | None = None
) -> dict[str, Any]:
    """The period's figures for the whole selection: the sum of its grids (every listed
    enterprise is in one grid), and the other outcomes counted by outcome (one query, run
    by `fetch` when given)."""
    figures = {
        name: sum(getattr(g, name) for g in grids)
        for name in ("enterprises", "met", "unvisited", "required", "checks", "other")
    }
    by_outcome = (
        query.visits()
        .exclude(outcome=Outcome.INSPECTED)
        .values_list("outcome")
        .annotate(n=Count("id"))
        .order_by("outcome")
    )
    outcomes: dict[str, int] = {outcome: n for outcome, n in _rows(by_outcome, fetch)}
    due = figures["enterprises"]
    return {
        **figures,
        "other_by_outcome": outcomes,
        "rate": round(figures["met"] / due, 4) if due else None,
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
    record_many(
        by,
        "coverage_policy.adopt",
        [
            (p, {f: [None, getattr(p, f)] for f in POLICY_FIELDS})
            for p in CoveragePolicy.objects.filter(zone_id=zone_id)
        ],
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
