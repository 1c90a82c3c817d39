"""The ledger's tallies (statistics.models): the triggers that keep them, and which figures
they answer.

Keeping them: one set of row triggers on hazards_hazard, written here for SQLite and for
PostgreSQL, moves a hazard's count from its old key to its new one on every insert, update of
a counted column, and delete. `ensure()` runs after every migrate: when the triggers are
missing or differ from these (a SQLite table rebuild drops a table's triggers; a changed
TIME_ZONE changes what "the month it was closed in" means) it creates them again and counts
the tallies afresh from the ledger, in one transaction.

Reading them: `plan()` turns a ledger figure's filters into a condition on a tally when the
tally holds exactly those rows — whole months, the states, level, type and office it keeps,
and a scope of whole zones or offices — and says None otherwise, so the figure is counted from
the ledger itself. The tests hold each tallied figure equal to its list's count.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Field, Model, Q, TextChoices

from anjian.accounts.models import User
from anjian.fieldwork.models import Outcome, Visit, VisitKind
from anjian.hazards.filters import AWAITING
from anjian.hazards.models import OPEN, Hazard, HazardType, Level, Status
from anjian.statistics import versions
from anjian.statistics.models import HazardClosedTally, HazardFoundTally, VisitTally
from anjian.statistics.triggers import postgresql_existing, run, sqlite_existing

HAZARDS = "hazards_hazard"
VISITS = "fieldwork_visit"
TRIGGER_PREFIX = "statistics_tally_"


@dataclass(frozen=True)
class Spec:
    """One tally: the ledger table it counts, its key columns and the values they take from
    a ledger row `r` (NEW, OLD or an alias), what else it sums, which rows it counts."""

    table: str
    source: str
    key: tuple[str, ...]
    values: Callable[[Dialect, str], list[str]]
    sums: tuple[str, ...] = ()
    summed: Callable[[Dialect, str], list[str]] = lambda d, r: []
    where: Callable[[Dialect, str], str] | None = None


# --- the key of a ledger row, per engine -----------------------------------------------------------


class Dialect:
    # How an upsert names the row it updates: SQLite's triggers take no alias (a bare column
    # is the existing row's); PostgreSQL's plpgsql needs one to tell it from `excluded`.
    alias = ""

    def month(self, date: str) -> str:
        raise NotImplementedError

    def closed_date(self, r: str) -> str:
        """The day of `r.closed_at` on the zone's calendar."""
        raise NotImplementedError

    def days(self, r: str) -> str:
        raise NotImplementedError

    def on_time(self, r: str) -> str:
        return f"({r}.deadline IS NULL OR {self.closed_date(r)} <= {r}.deadline)"

    def add(self, spec: Spec, r: str) -> str:
        a = self.alias
        into = f" AS {a.rstrip('.')}" if a else ""
        columns = ", ".join((*spec.key, "n", *spec.sums))
        values = ", ".join((*spec.values(self, r), "1", *spec.summed(self, r)))
        # (SQLite reads ON CONFLICT after a SELECT only behind a WHERE.)
        where = f" WHERE {spec.where(self, r)}" if spec.where else " WHERE true"
        sets = ", ".join(f"{c} = {a}{c} + excluded.{c}" for c in ("n", *spec.sums))
        return (
            f"INSERT INTO {spec.table}{into} ({columns}) SELECT {values}{where} "
            f"ON CONFLICT ({', '.join(spec.key)}) DO UPDATE SET {sets}"
        )

    def subtract(self, spec: Spec, r: str) -> str:
        sets = ", ".join(
            [
                "n = n - 1",
                *(f"{c} = {c} - {e}" for c, e in zip(spec.sums, spec.summed(self, r), strict=True)),
            ]
        )
        match = [f"{c} = {e}" for c, e in zip(spec.key, spec.values(self, r), strict=True)]
        if spec.where:
            match.insert(0, spec.where(self, r))
        return f"UPDATE {spec.table} SET {sets} WHERE {' AND '.join(match)}"

    def rebuild(self, spec: Spec) -> list[str]:
        values = spec.values(self, "r")
        sums = [f"SUM({e})" for e in spec.summed(self, "r")]
        where = f" WHERE {spec.where(self, 'r')}" if spec.where else ""
        return [
            f"DELETE FROM {spec.table}",
            f"INSERT INTO {spec.table} ({', '.join((*spec.key, 'n', *spec.sums))}) "
            f"SELECT {', '.join((*values, 'COUNT(*)', *sums))} FROM {spec.source} r{where} "
            f"GROUP BY {', '.join(values)}",
        ]

    def triggers(self, source: str) -> dict[str, str]:
        """name -> its definition as the database keeps it (compared by `existing`)."""
        raise NotImplementedError

    def create(self, source: str) -> list[str]:
        raise NotImplementedError

    def existing(self, cursor: Any) -> dict[str, tuple[str, str]]:
        """name -> (table, definition) of the tally triggers there are."""
        raise NotImplementedError

    def drop(self, name: str, table: str) -> str:
        return f"DROP TRIGGER IF EXISTS {name} ON {table}"


class SQLite(Dialect):
    def __init__(self, time_zone: str) -> None:
        minutes = fixed_offset_minutes(time_zone)
        # A zone with summer time: Django's own conversion, registered on every connection
        # it opens (a write from outside Django then fails rather than miscounts).
        self._local = None if minutes is None else f"'{minutes:+d} minutes'"
        self._zone = time_zone

    def closed_date(self, r: str) -> str:
        if self._local is None:
            return f"django_datetime_cast_date({r}.closed_at, '{self._zone}', 'UTC')"
        return f"date({r}.closed_at, {self._local})"

    def month(self, date: str) -> str:
        return f"substr({date}, 1, 7)"

    def days(self, r: str) -> str:
        return f"CAST(julianday({self.closed_date(r)}) - julianday({r}.found_on) AS INTEGER)"

    def triggers(self, source: str) -> dict[str, str]:
        specs = [s for s in SPECS if s.source == source]

        def trigger(name: str, when: str, body: list[str]) -> str:
            statements = "".join(f"  {s};\n" for s in body)
            return f"CREATE TRIGGER {name} {when} ON {source} FOR EACH ROW BEGIN\n{statements}END"

        p = f"{TRIGGER_PREFIX}{source}_"
        add = [self.add(s, "NEW") for s in specs]
        subtract = [self.subtract(s, "OLD") for s in specs]
        watched = ", ".join(WATCHED[source])
        return {
            f"{p}insert": trigger(f"{p}insert", "AFTER INSERT", add),
            f"{p}delete": trigger(f"{p}delete", "AFTER DELETE", subtract),
            f"{p}update": trigger(f"{p}update", f"AFTER UPDATE OF {watched}", subtract + add),
        }

    def create(self, source: str) -> list[str]:
        return list(self.triggers(source).values())

    def existing(self, cursor: Any) -> dict[str, tuple[str, str]]:
        return sqlite_existing(cursor, TRIGGER_PREFIX)

    def drop(self, name: str, table: str) -> str:
        return f"DROP TRIGGER IF EXISTS {name}"


class PostgreSQL(Dialect):
    alias = "t."

    def __init__(self, time_zone: str) -> None:
        self._zone = time_zone.replace("'", "")

    def closed_date(self, r: str) -> str:
        return f"({r}.closed_at AT TIME ZONE '{self._zone}')::date"

    def month(self, date: str) -> str:
        return f"to_char({date}, 'YYYY-MM')"

    def days(self, r: str) -> str:
        return f"({self.closed_date(r)} - {r}.found_on)"

    def body(self, source: str) -> str:
        specs = [s for s in SPECS if s.source == source]
        subtract = "".join(f"    {self.subtract(s, 'OLD')};\n" for s in specs)
        add = "".join(f"    {self.add(s, 'NEW')};\n" for s in specs)
        return (
            "\nBEGIN\n"
            f"  IF TG_OP IN ('UPDATE', 'DELETE') THEN\n{subtract}  END IF;\n"
            f"  IF TG_OP IN ('UPDATE', 'INSERT') THEN\n{add}  END IF;\n"
            "  RETURN NULL;\nEND\n"
        )

    def triggers(self, source: str) -> dict[str, str]:
        # The function's source stands for its trigger (one per ledger table).
        return {f"{TRIGGER_PREFIX}{source}": self.body(source)}

    def create(self, source: str) -> list[str]:
        name = f"{TRIGGER_PREFIX}{source}"
        return [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
            f"AS $tally${self.body(source)}$tally$",
            f"DROP TRIGGER IF EXISTS {name} ON {source}",
            f"CREATE TRIGGER {name} AFTER INSERT OR DELETE OR UPDATE OF "
            f"{', '.join(WATCHED[source])} ON {source} FOR EACH ROW EXECUTE FUNCTION {name}()",
        ]

    def existing(self, cursor: Any) -> dict[str, tuple[str, str]]:
        return postgresql_existing(cursor, TRIGGER_PREFIX)


SPECS = [
    Spec(
        HazardFoundTally._meta.db_table,
        HAZARDS,
        ("zone_id", "office_id", "month", "status", "level", "hazard_type"),
        lambda d, r: [
            f"{r}.zone_id",
            f"{r}.office_id",
            d.month(f"{r}.found_on"),
            f"{r}.status",
            f"{r}.level",
            f"{r}.hazard_type",
        ],
    ),
    Spec(
        HazardClosedTally._meta.db_table,
        HAZARDS,
        ("zone_id", "office_id", "month", "status", "level", "on_time"),
        lambda d, r: [
            f"{r}.zone_id",
            f"{r}.office_id",
            d.month(d.closed_date(r)),
            f"{r}.status",
            f"{r}.level",
            d.on_time(r),
        ],
        sums=("days",),
        summed=lambda d, r: [d.days(r)],
        where=lambda d, r: f"{r}.closed_at IS NOT NULL",
    ),
    Spec(
        VisitTally._meta.db_table,
        VISITS,
        ("zone_id", "office_id", "month", "kind", "outcome"),
        lambda d, r: [
            f"{r}.zone_id",
            f"{r}.office_id",
            d.month(f"{r}.visited_on"),
            f"{r}.kind",
            f"{r}.outcome",
        ],
    ),
]
# An update of any other column leaves every key as it was.
WATCHED = {
    HAZARDS: (
        "zone_id",
        "office_id",
        "found_on",
        "status",
        "level",
        "hazard_type",
        "closed_at",
        "deadline",
    ),
    VISITS: ("zone_id", "office_id", "visited_on", "kind", "outcome"),
}
SOURCES = list(WATCHED)


def fixed_offset_minutes(time_zone: str) -> int | None:
    """The zone's offset from UTC in minutes if it has kept one offset since 2000 (China's
    has), else None."""
    zone = zoneinfo.ZoneInfo(time_zone)
    offsets = {
        datetime.datetime(year, month, 15, tzinfo=zone).utcoffset()
        for year in range(2000, 2101, 5)
        for month in (1, 7)
    }
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    assert offset is not None
    return int(offset.total_seconds()) // 60


def dialect(vendor: str) -> Dialect | None:
    if vendor == "sqlite":
        return SQLite(settings.TIME_ZONE)
    if vendor == "postgresql":
        return PostgreSQL(settings.TIME_ZONE)
    return None


def _expected(d: Dialect) -> dict[str, tuple[str, str]]:
    return {
        name: (source, definition)
        for source in SOURCES
        for name, definition in d.triggers(source).items()
    }


def ensure(using: str = "default", **kwargs: Any) -> bool:
    """Create the triggers and count the tallies afresh if the triggers are not exactly
    these (post_migrate). True when it did."""
    connection = connections[using]
    d = dialect(connection.vendor)
    tables = set(connection.introspection.table_names())
    needed = {s.table for s in SPECS} | set(SOURCES)
    if d is None or not needed <= tables:
        return False
    with connection.cursor() as cursor:
        if d.existing(cursor) == _expected(d):
            return False
    rebuild(using)
    return True


def drop_triggers(using: str = "default") -> None:
    """The tallies' triggers dropped, in the caller's transaction (statistics.loading: a
    bulk load; `rebuild` puts them back and counts the tallies)."""
    connection = connections[using]
    d = dialect(connection.vendor)
    assert d is not None
    with connection.cursor() as cursor:
        run(cursor, (d.drop(name, table) for name, (table, _d) in d.existing(cursor).items()))


def rebuild(using: str = "default") -> None:
    """The triggers created again and the tallies counted from the ledgers, atomically."""
    connection = connections[using]
    d = dialect(connection.vendor)
    assert d is not None
    with transaction.atomic(using=using), connection.cursor() as cursor:
        drop_triggers(using)
        for source in SOURCES:
            run(cursor, d.create(source))
        for spec in SPECS:
            run(cursor, d.rebuild(spec))
        # Counted afresh, unseen by the versions' triggers: what was kept of them goes.
        versions.renew(cursor, connection.vendor, sorted({s.source for s in SPECS}))


def compact(using: str = "default") -> None:
    """After a bulk load (the demo): the tallies rewritten without the dead rows their
    upserts left, and every table's statistics refreshed. PostgreSQL keeps each old version
    of an upserted row until it is vacuumed: a city's load leaves ~190 MB of tallies for
    ~36,000 live rows, which every figure would read (30 ms a sum instead of 1), and index-
    only scans need the pages VACUUM marks as all visible. Inside a transaction (a test),
    where VACUUM may not run, the statistics alone."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
            return
        if connection.in_atomic_block:
            cursor.execute("ANALYZE")
            return
        cursor.execute(f"VACUUM FULL {', '.join(s.table for s in SPECS)}")
        cursor.execute("VACUUM ANALYZE")


# --- which figures a tally answers ----------------------------------------------------------------

# The ledger filter's states that read the status alone (overdue reads the deadline too).
STATE_CONDITIONS = {
    # One status each; then the named states, "closed" among them (closed or written off).
    **{s.value: Q(status=s.value) for s in Status},
    "": Q(),
    "valid": ~Q(status=Status.VOID),
    "closed": Q(status__in=[Status.CLOSED, Status.WRITTEN_OFF]),
    "open": Q(status__in=sorted(OPEN)),
    "awaiting": Q(status__in=AWAITING),
}
# Filters both hazard tallies keep as columns of their own.
COLUMNS = ("level", "office")
SCOPE_COLUMNS = {"zone", "office"}
# The list filters a grouping may split by, and the tally column of each.
GROUP_COLUMNS = {
    "hazards": {"office": "office_id", "level": "level", "hazard_type": "hazard_type"},
    "visits": {"office": "office_id", "kind": "kind", "outcome": "outcome"},
}


# The first and the last month a plan counts ("2026-01"); None: no bound.
Months = tuple[str | None, str | None]


@dataclass(frozen=True)
class Plan:
    """A figure answered from a tally: the tally, the condition on its rows, and the months
    it counts ("2026-01", "2026-12"; None: no bound)."""

    model: type[Model]
    condition: Q
    # The reader's scope alone (part of `condition`): the rows a page's plans read.
    scope: Q
    months: Months = (None, None)

    def groups(self, by: str) -> bool:
        """Whether this plan's tally keeps the column a grouping by `by` splits on."""
        return by != "hazard_type" or self.model is HazardFoundTally


def plan(source: str, params: Mapping[str, Any], user: User) -> Plan | None:
    """The tally and condition that count exactly the rows of the list `source` that
    `params` filter for `user`, or None when no tally can."""
    planner = PLANNERS.get(source)
    return None if planner is None else planner(params, user)


def _hazards(params: Mapping[str, Any], user: User) -> Plan | None:
    scope = scope_condition(Hazard, user)
    if scope is None:
        return None
    given = {k: v for k, v in params.items() if v not in (None, "")}
    state = str(given.pop("state", ""))
    if state not in STATE_CONDITIONS:
        return None
    given.pop("sort", None)  # the list's order: it counts nothing
    columns = _columns(given, COLUMNS)
    if columns is None:
        return None
    q = scope & STATE_CONDITIONS[state] & columns
    closed = "closed_from" in given or "closed_to" in given
    model: type[Model] = HazardClosedTally if closed else HazardFoundTally
    prefix = "closed" if closed else "found"
    months = month_range(given.pop(f"{prefix}_from", None), given.pop(f"{prefix}_to", None))
    if months is None:
        return None
    if closed:
        on_time = given.pop("on_time", None)
        if on_time is not None:
            if on_time not in ("yes", "no"):
                return None
            q &= Q(on_time=on_time == "yes") & STATE_CONDITIONS["closed"]
    elif "hazard_type" in given:
        kind = _columns(given, ("hazard_type",))
        if kind is None:
            return None
        q &= kind
    if given:  # a filter no tally keeps
        return None
    return Plan(model, q, scope, months)


# The visit list's outcome filter: one outcome, or checks (the door was open) and the rest.
OUTCOME_CONDITIONS = {
    **{o.value: Q(outcome=o.value) for o in Outcome},
    "checks": Q(outcome=Outcome.INSPECTED),
    "other": ~Q(outcome=Outcome.INSPECTED),
}


def _visits(params: Mapping[str, Any], user: User) -> Plan | None:
    scope = scope_condition(Visit, user)
    if scope is None:
        return None
    given = {k: v for k, v in params.items() if v not in (None, "")}
    columns = _columns(given, ("kind", "office"))
    if columns is None:
        return None
    q = scope & columns
    if "outcome" in given:
        outcome = OUTCOME_CONDITIONS.get(str(given.pop("outcome")))
        if outcome is None:
            return None
        q &= outcome
    months = month_range(given.pop("visited_from", None), given.pop("visited_to", None))
    if months is None or given:
        return None
    return Plan(VisitTally, q, scope, months)


PLANNERS = {"hazards": _hazards, "visits": _visits}


def _code_of(choices: type[TextChoices]) -> Callable[[Any], Any]:
    return lambda value: str(value) if str(value) in choices.values else None


def _id(value: Any) -> int | None:
    text = str(getattr(value, "pk", value))
    return int(text) if text.isdecimal() and len(text) <= 18 else None


# What a tallied filter's value must be, as its list's form would clean it (the ledger's
# counts pass the query string as it came): anything else is counted by the form instead,
# which names it.
CLEAN = {
    "level": _code_of(Level),
    "hazard_type": _code_of(HazardType),
    "kind": _code_of(VisitKind),
    "office": _id,
}


def _columns(given: dict[str, Any], names: tuple[str, ...]) -> Q | None:
    """The filters `names` among `given` (taken out of it) as a condition on the tally's
    columns; None when a value is not one its list accepts."""
    q = Q()
    for name in names:
        if name in given:
            value = CLEAN[name](given.pop(name))
            if value is None:
                return None
            q &= Q(**{name: value})
    return q


def scope_condition(model: type[Model], user: User) -> Q | None:
    """The user's scope of a ledger as a condition on its tally: whole zones or offices
    only."""
    reach = model._default_manager.reach(user)  # type: ignore[attr-defined]
    if reach is None or not _reads_only(reach, SCOPE_COLUMNS):
        return None
    return reach


def _reads_only(q: Q, columns: set[str]) -> bool:
    for child in q.children:
        if isinstance(child, Q):
            if not _reads_only(child, columns):
                return False
        else:
            name = str(child[0])  # type: ignore[index]  # a (lookup, value) leaf
            if "__" in name or name.removesuffix("_id") not in columns:
                return False
    return True


def month_range(start: Any, end: Any) -> Months | None:
    """Whole months from `start` (a first day) to `end` (a last day) as the tally's first
    and last month; None when either is not on a month's edge."""
    first = last = None
    if start is not None:
        day = _date(start)
        if day is None or day.day != 1:
            return None
        first = f"{day:%Y-%m}"
    if end is not None:
        day = _date(end)
        if day is None or (day + datetime.timedelta(days=1)).day != 1:
            return None
        last = f"{day:%Y-%m}"
    return first, last


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


# --- counting from the tallies --------------------------------------------------------------------
# A page asks for a hundred or more tallied figures; the ORM takes longer to build their
# filtered SUMs than the database takes to run them (~50 ms a page). The plans' conditions are
# of a few plain shapes (a column equal to, in, at least or at most a value; NOT; AND; OR), so
# they are written as SQL here, with parameters, for both engines.

LOOKUPS = {"": "=", "exact": "=", "gte": ">=", "lte": "<="}


def sql_of(model: type[Model], q: Q) -> tuple[str, list[Any]]:
    """The condition `q` on `model`'s table as SQL with its parameters."""
    parts: list[str] = []
    params: list[Any] = []
    for child in q.children:
        if isinstance(child, Q):
            sql, more = sql_of(model, child)
        else:
            name, value = child  # type: ignore[misc]
            field, _sep, lookup = str(name).partition("__")
            db_field = model._meta.get_field(field)
            assert isinstance(db_field, Field), field
            column = connection.ops.quote_name(str(db_field.column))
            if lookup == "in":
                values = list(value)
                sql = f"{column} IN ({', '.join(['%s'] * len(values))})" if values else "1 = 0"
                more = [_param(v) for v in values]
            else:
                sql, more = f"{column} {LOOKUPS[lookup]} %s", [_param(value)]
        parts.append(f"({sql})")
        params.extend(more)
    joined = f" {q.connector} ".join(parts) if parts else "1 = 1"
    return (f"NOT ({joined})" if q.negated else joined), params


def _param(value: Any) -> Any:
    value = getattr(value, "pk", value)  # a region given as itself
    if isinstance(value, bool | int):
        return value
    return str(value)  # a choice's code (TextChoices) or a month


def _summed(
    plans: dict[str, Plan],
    model: type[Model],
    by: str | None = None,
    columns: tuple[str, ...] = ("n",),
) -> dict[Any, dict[str, list[int]]]:
    """Each plan's sums of `columns`, per value of the column `by` (all under None when
    not given): one query over the rows of the plans' scopes (one zone or office: the same
    for every plan of a page).

    A page's figures are mostly the same few conditions over this month, this quarter, this
    year and the ones before. The statement sums each shared condition per month first
    (each tally row tested against those few, not against every figure), then each figure
    adds up its own months of those few sums."""
    shared: dict[tuple[str, tuple[Any, ...]], int] = {}
    inner: list[str] = []
    params: list[Any] = []
    outer: list[str] = []
    outer_params: list[Any] = []
    for p in plans.values():
        sql, more = sql_of(model, p.condition)
        key = (sql, tuple(more))
        if key not in shared:
            shared[key] = len(shared)
            for i, column in enumerate(columns):
                inner.append(f"SUM({column}) FILTER (WHERE {sql}) AS c{shared[key]}_{i}")
                params.extend(more)
        j = shared[key]
        bounds = []
        for bound, op in zip(p.months, (">=", "<="), strict=True):
            if bound is not None:
                bounds.append(f'"month" {op} %s')
        for i in range(len(columns)):
            within = f" FILTER (WHERE {' AND '.join(bounds)})" if bounds else ""
            outer.append(f"SUM(c{j}_{i}){within}")
            outer_params.extend(b for b in p.months if b is not None)
    scopes: list[str] = []
    for scope in {p.scope for p in plans.values()}:
        sql, more = sql_of(model, scope)
        scopes.append(f"({sql})")
        params.extend(more)
    where = [" OR ".join(scopes)]
    firsts = [p.months[0] for p in plans.values()]
    lasts = [p.months[1] for p in plans.values()]
    if all(firsts):
        where.append('"month" >= %s')
        params.append(min(f for f in firsts if f))
    if all(lasts):
        where.append('"month" <= %s')
        params.append(max(m for m in lasts if m))
    group = [connection.ops.quote_name(by)] if by else []
    # By month only when a plan counts some months (the ledger's counts count them all).
    keys = [*group, '"month"'] if any(b for p in plans.values() for b in p.months) else group
    group_by = f" GROUP BY {', '.join(keys)}" if keys else ""
    table = connection.ops.quote_name(model._meta.db_table)
    sql = (
        f"SELECT {', '.join([*group, *outer])} FROM ("
        f"SELECT {', '.join([*keys, *inner])} FROM {table} "
        f"WHERE ({') AND ('.join(where)}){group_by}) by_month"
        + (f" GROUP BY {group[0]}" if group else "")
    )
    width = len(columns)
    out: dict[Any, dict[str, list[int]]] = {}
    for row in versions.fetch(sql, [*outer_params, *params]):
        value, sums = (row[0], row[1:]) if by else (None, row)
        out[value] = {
            key: [int(v or 0) for v in sums[k * width : (k + 1) * width]]
            for k, key in enumerate(plans)
        }
    return out


def count(plans: dict[str, Plan]) -> dict[str, int]:
    """Each plan's count: one query per tally."""
    out: dict[str, int] = {}
    for model in {p.model for p in plans.values()}:
        mine = {k: p for k, p in plans.items() if p.model is model}
        summed = _summed(mine, model).get(None, {})
        out.update({k: summed[k][0] if k in summed else 0 for k in mine})
    return out


def count_by(column: str, plans: dict[str, Plan]) -> dict[Any, dict[str, int]]:
    """Each plan's count per value of `column` (a column every plan's tally keeps): one
    query per tally."""
    out: dict[Any, dict[str, int]] = {}
    for model in {p.model for p in plans.values()}:
        mine = {k: p for k, p in plans.items() if p.model is model}
        for value, summed in _summed(mine, model, by=column).items():
            counts = {k: summed[k][0] if k in summed else 0 for k in mine}
            # A value none of the plans counts (another office of the zone, a key emptied to
            # 0) is not one the grouping found.
            if any(counts.values()):
                out.setdefault(value, {}).update(counts)
    return out


def mean_days(p: Plan) -> Decimal | None:
    """The mean days from found to closed of the closed hazards `p` counts."""
    assert p.model is HazardClosedTally
    n, days = (
        _summed({"p": p}, HazardClosedTally, columns=("n", "days")).get(None, {}).get("p", [0, 0])
    )
    return Decimal(days) / Decimal(n) if n else None
