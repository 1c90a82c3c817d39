"""A figure: a number someone reads, what it counts, and the list that shows what it counts.

Every count is the row count of a list — the ledger, the visit list, the registry, coverage —
under the filters it names, for the person reading it: the list's own filter form turns those
filters into its condition (`condition()`), and the count is taken through the same form and
the same `visible_to`. So a figure and its list cannot disagree, and each figure links to it
(`page` for people, `api` for programs). Rates and averages have no list of their own: they
name the figures they divide (`of`).

Counts are asked for in batches (`Tally`): one query per list, each figure a filtered
COUNT, however many figures a page shows.
"""

from __future__ import annotations

import functools
import operator
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Count, Q, QuerySet, Value
from django.utils import timezone
from django.utils.functional import Promise

from anjian.accounts.models import User
from anjian.coverage.forms import CoverageFilter
from anjian.coverage.services import page_rows
from anjian.enforcement.filters import NoticeFilter
from anjian.enforcement.models import Notice
from anjian.enterprises.filters import EnterpriseFilter
from anjian.enterprises.models import Enterprise
from anjian.fieldwork.filters import VisitFilter
from anjian.fieldwork.models import Visit
from anjian.hazards.filters import HazardFilter
from anjian.hazards.models import Hazard
from anjian.lib.scoping import scope_of
from anjian.statistics import tallies, versions

Params = Mapping[str, Any]
# A grouping's columns: name -> (label, the list's filters).
Measures = Mapping[str, tuple[Any, Params]]


@dataclass(frozen=True)
class Source:
    """A list figures count the rows of: its filter form, its rows, where it is shown."""

    name: str
    form: Callable[[Params, User], forms.Form]
    rows: Callable[[User], QuerySet[Any]] | None
    page: str
    api: str


SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            "hazards",
            lambda p, u: HazardFilter(p, user=u, render=False),
            Hazard.objects.visible_to,
            "/hazards/",
            "/api/v1/hazards",
        ),
        Source(
            "visits",
            lambda p, u: VisitFilter(p, user=u),
            Visit.objects.visible_to,
            "/field/visits/",
            "/api/v1/visits",
        ),
        Source(
            "enterprises",
            lambda p, u: EnterpriseFilter(p, user=u),
            Enterprise.objects.visible_to,
            "/enterprises/",
            "/api/v1/enterprises",
        ),
        Source(
            "notices",
            lambda p, u: NoticeFilter(p, user=u),
            Notice.objects.visible_to,
            "/notices/",
            "/api/v1/notices",
        ),
        # Coverage's rows are computed per period (what each enterprise owes): counted
        # through its own list query rather than as a condition.
        Source(
            "coverage",
            lambda p, u: CoverageFilter(p, user=u),
            None,
            "/fieldwork/coverage/",
            "/api/v1/coverage",
        ),
    )
}


def _query(params: Params) -> str:
    return "&".join(_pair(k, _text(v)) for k, v in params.items() if v is not None and v != "")


@functools.lru_cache(maxsize=4096)
def _pair(name: str, value: str) -> str:
    """One `name=value` of a query, encoded as urlencode does (a page links ~1,000 figures
    sharing a few dozen of these)."""
    return urlencode({name: value})


def _text(value: Any) -> str:
    if value is True:
        return "true"
    return str(getattr(value, "pk", value))


@dataclass
class Figure:
    """One number: a count of `source` rows under `params`, or a rate/average of others."""

    key: str
    label: str | Promise
    source: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    value: int | Decimal | None = None
    # A rate or an average: the keys of the figures it is computed from (no list of its own).
    of: tuple[str, ...] = ()
    unit: str = ""

    @property
    def page(self) -> str | None:
        if self.source is None:
            return None
        query = _query(self.params)
        return SOURCES[self.source].page + (f"?{query}" if query else "")

    @property
    def api(self) -> str | None:
        if self.source is None:
            return None
        query = _query(self.params)
        return SOURCES[self.source].api + (f"?{query}" if query else "")

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "label": str(self.label),
            "value": float(self.value) if isinstance(self.value, Decimal) else self.value,
            "list": self.api,
        }
        if self.of:
            out["of"] = list(self.of)
        if self.unit:
            out["unit"] = self.unit
        return out


class BadFigure(ValueError):
    """A figure whose filters its own list refuses: a defect in the figure, not in input."""


def condition(source: Source, params: Params, user: User) -> Q:
    form = source.form(params, user)
    if not form.is_valid():
        raise BadFigure(f"{source.name} {dict(params)}: {form.errors.as_json()}")
    return form.condition()  # type: ignore[attr-defined, no-any-return]


def count_all(figures: Iterable[Figure], user: User, *, kept_only: bool = False) -> bool:
    """Fill in the value of every counted figure: one query per list (coverage: one per
    figure), each figure a filtered COUNT over the user's rows. True when every figure has
    its value.

    `kept_only`: only the figures answered without counting rows afresh — by the tallies,
    or kept under the tables' current versions; the others stay None (and False is
    returned): a page shows them when they are counted rather than wait for them."""
    complete = True
    pending: dict[str, list[Figure]] = {}
    for f in figures:
        # A figure counted already (a whole table's worth in one query, as coverage's per
        # grid) keeps its value.
        if f.source is not None and f.value is None:
            pending.setdefault(f.source, []).append(f)
    for name, group in pending.items():
        source = SOURCES[name]
        if source.rows is None:
            if kept_only:
                complete = False
                continue
            for f in group:
                f.value = _coverage_count(f.params, user)
            continue
        statement = _statement(source, group, user)
        for key, value in tallies.count(statement.tallied).items():
            group[int(key)].value = value
        if statement.sql:
            fetch = versions.kept if kept_only else versions.fetch
            rows = fetch(statement.sql, statement.params)
            if rows is None:
                complete = False
                continue
            ((*values,),) = rows
            for i, value in zip(statement.counted, values, strict=True):
                group[i].value = value
    return complete


@dataclass(frozen=True)
class Statement:
    """How a list's figures are counted: the tallies' plans (by the figure's place in its
    group) and one statement of filtered COUNTs over the list's rows for the others."""

    tallied: dict[str, tallies.Plan]
    counted: tuple[int, ...]
    sql: str
    params: tuple[Any, ...]


# The statements of the figures a reader was last shown, by what they depend on: the
# figures' filters, the reader (their reach, role and own rows) and the day (overdue is
# counted against it). Building one takes each figure's filter form, its condition and the
# SQL compiled — a few milliseconds for a page's handful of counts, more than looking up
# their kept answers (versions.fetch) — and a page asks for the same ones again and again.
# Only the statement is kept: its answer is always read under the tables' current versions.
STATEMENTS_KEPT = 512
_statements: OrderedDict[Hashable, Statement] = OrderedDict()
_statements_lock = threading.Lock()


def _statement(source: Source, group: list[Figure], user: User) -> Statement:
    key = _statement_key(source, group, user)
    if key is not None:
        with _statements_lock:
            kept = _statements.get(key)
            if kept is not None:
                _statements.move_to_end(key)
                return kept
    built = _build_statement(source, group, user)
    if key is not None:
        with _statements_lock:
            _statements[key] = built
            while len(_statements) > STATEMENTS_KEPT:
                _statements.popitem(last=False)
    return built


def _statement_key(source: Source, group: list[Figure], user: User) -> Hashable | None:
    """None when the reader's reach is not a value (an expert's engagements are a
    subquery): then the statement is built each time."""
    scope = scope_of(user)
    if isinstance(scope.enterprise_ids, QuerySet):
        return None
    filters = tuple(tuple(sorted((k, _text(v)) for k, v in f.params.items())) for f in group)
    return (source.name, filters, user.pk, user.role, scope, timezone.localdate())


def _build_statement(source: Source, group: list[Figure], user: User) -> Statement:
    assert source.rows is not None
    plans = {i: tallies.plan(source.name, f.params, user) for i, f in enumerate(group)}
    counted = tuple(i for i, p in plans.items() if p is None)
    sql, params = "", ()
    if counted:
        conditions = [condition(source, group[i].params, user) for i in counted]
        rows = _counted_rows(source.rows(user), conditions)
        counts = {f"f{i}": Count("pk", filter=q) for i, q in enumerate(conditions)}
        # The counts over every row as one row (a constant groups nothing), run through
        # the cache of answers under their tables' versions.
        sql, params = (
            rows.order_by().values(one=Value(1)).annotate(**counts).values_list(*counts)
        ).query.sql_with_params()
    return Statement(
        {str(i): p for i, p in plans.items() if p is not None}, counted, sql, tuple(params)
    )


def _counted_rows(rows: QuerySet[Any], conditions: Iterable[Q]) -> QuerySet[Any]:
    """Only the rows some condition counts: each may then be read from an index (overdue,
    mine) instead of the whole scope being scanned. Unless one condition is every row (an
    empty Q, which OR-ing would drop: Q() | q is q)."""
    conditions = list(conditions)
    if conditions and all(conditions):
        return rows.filter(functools.reduce(operator.or_, conditions))
    return rows


def _coverage_count(params: Params, user: User) -> int:
    form = CoverageFilter(params, user=user)
    if not form.is_valid():
        raise BadFigure(f"coverage {dict(params)}: {form.errors.as_json()}")
    page = page_rows(form.query(), form.list_state(), limit=1, with_count=True)
    assert page.count is not None
    return page.count


def percent(numerator: Figure, denominator: Figure) -> Decimal | None:
    """numerator / denominator as a percentage to one decimal; None when nothing to divide."""
    if not denominator.value or numerator.value is None:
        return None
    ratio = Decimal(numerator.value) * 100 / Decimal(denominator.value)
    return ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rate(key: str, label: str | Promise, numerator: Figure, denominator: Figure) -> Figure:
    """A rate figure (in %), after both counts are in."""
    return Figure(
        key,
        label,
        value=percent(numerator, denominator),
        of=(numerator.key, denominator.key),
        unit="%",
    )


@dataclass
class Grouped:
    """Counts of one list split by one of its filters (office, grid, kind …): for each value
    found, one figure per measure, each linking to its list under the measure's filters and
    that value. `values` lists the rows to show even where nothing was counted."""

    prefix: str
    source: str
    by: str
    measures: Measures
    values: list[Any]
    figures: dict[Any, dict[str, Figure]] = field(default_factory=dict)


# The column each list's grouping filter reads (the filter `office=3` is `office_id = 3`).
GROUP_COLUMNS = {
    "hazards": {
        "office": "office_id",
        "grid": "grid_id",
        "level": "level",
        "hazard_type": "hazard_type",
        "source": "source",
        "finder": "finder",
        "enterprise": "enterprise_id",
        "sector": "enterprise__sector",
        "found_by": "found_by_id",
    },
    "visits": {"office": "office_id", "grid": "grid_id", "kind": "kind", "outcome": "outcome"},
    "enterprises": {
        "office": "office_id",
        "grid": "grid_id",
        "risk_class": "risk_class",
        "status": "status",
        "sector": "sector",
    },
}


class Board:
    """The figures of one page or answer, counted together for one person.

    Declare counts (`count`, `grouped`) and rates (`rate`), then `evaluate()` once: one query
    per list for the plain counts, one per grouping, then the rates."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.figures: dict[str, Figure] = {}
        self.groups: list[Grouped] = []
        self._rates: list[tuple[Figure, str, str]] = []
        # What several declarations read alike, computed once (coverage's rows per grid).
        self.memo: dict[Any, Any] = {}
        # False after evaluate(kept_only=True) left some figure to be counted.
        self.complete = True

    def count(
        self, key: str, label: str | Promise, source: str, params: Params, unit: str = ""
    ) -> Figure:
        figure = Figure(key, label, source, dict(params), unit=unit)
        self.figures[key] = figure
        return figure

    def rate(self, key: str, label: str | Promise, numerator: str, denominator: str) -> Figure:
        figure = Figure(key, label, of=(numerator, denominator), unit="%")
        self.figures[key] = figure
        self._rates.append((figure, numerator, denominator))
        return figure

    def grouped(
        self,
        prefix: str,
        source: str,
        by: str,
        measures: Measures,
        values: Iterable[Any] = (),
    ) -> Grouped:
        group = Grouped(prefix, source, by, measures, list(values))
        self.groups.append(group)
        return group

    def evaluate(self, *, kept_only: bool = False) -> Board:
        """Count every figure, its groups and rates. `kept_only`: the figures only where
        nothing need be counted afresh (count_all); `complete` then says whether all were."""
        self.complete = count_all(self.figures.values(), self.user, kept_only=kept_only)
        for group in self.groups:
            self._count_group(group)
        for figure, numerator, denominator in self._rates:
            figure.value = percent(self.find(numerator), self.find(denominator))
        return self

    def find(self, key: str) -> Figure:
        if key in self.figures:
            return self.figures[key]
        for group in self.groups:
            for row in group.figures.values():
                for figure in row.values():
                    if figure.key == key:
                        return figure
        raise KeyError(key)

    def _count_group(self, group: Grouped) -> None:
        source = SOURCES[group.source]
        assert source.rows is not None, "coverage is not grouped here"
        column = GROUP_COLUMNS[group.source][group.by]
        measures = dict(group.measures)
        counted: dict[Any, dict[str, int]] = {}
        tally_column = tallies.GROUP_COLUMNS.get(group.source, {}).get(group.by)
        if tally_column is not None:
            plans = {
                m: tallies.plan(group.source, params, self.user)
                for m, (_l, params) in measures.items()
            }
            tallied = {m: p for m, p in plans.items() if p is not None and p.groups(group.by)}
            counted = tallies.count_by(tally_column, tallied)
            measures = {m: v for m, v in measures.items() if m not in tallied}
        if measures:
            conditions = {
                m: condition(source, params, self.user) for m, (_l, params) in measures.items()
            }
            rows = (
                _counted_rows(source.rows(self.user), conditions.values())
                .values(column)
                .annotate(**{m: Count("pk", filter=q) for m, q in conditions.items()})
                .order_by()
                .values_list(column, *conditions)
            )
            for value, *counts in versions.fetch(*rows.query.sql_with_params()):
                counted.setdefault(value, {}).update(zip(conditions, counts, strict=True))
        # A row without a value (an enterprise not yet classified) has no filter that picks
        # it alone (an empty filter means "all"): the split shows the values that exist.
        counted = {v: r for v, r in counted.items() if v not in (None, "")}
        for value in [*group.values, *(v for v in counted if v not in group.values)]:
            row = counted.get(value, {})
            group.figures[value] = {
                m: Figure(
                    f"{group.prefix}.{_text(value)}.{m}",
                    label,
                    group.source,
                    {**params, group.by: value},
                    value=row.get(m, 0),
                )
                for m, (label, params) in group.measures.items()
            }

    def all(self) -> list[Figure]:
        """Every figure, plain ones first, then each grouping's, row by row."""
        out = list(self.figures.values())
        for group in self.groups:
            for row in group.figures.values():
                out.extend(row.values())
        return out
