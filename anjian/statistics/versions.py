"""The versions of the tables the statistics layer reads, and the answers it keeps under them.

A figure's query reads a few tables. While none of them changes, its answer stays the same,
so the layer answers it again from the cache instead of reading the rows again (a year's
coverage reads every enterprise's visits: ~200 ms at city scale; from the cache, well under
a millisecond). Nothing is kept for a while or "fresh enough": an answer is served only for
the exact versions of the tables it was computed from.

The versions are kept by the database itself, like the tallies: whenever a statement writes a
watched table, whoever runs it, that table's row in `statistics_tableversion` takes a new
random value — in the same transaction on SQLite (its writers take turns anyway), at commit
on PostgreSQL (a deferred trigger). There each server process keeps its own row per table
("hazards_hazard:4242") and moves only that one, so no commit ever waits on another's, not
even while a foreign key's check, also at commit, waits on a locked row; a table's version
is its row with all of those. Rows of processes gone are dropped now and then, their table's
own row moving with them. A version is random, never a counter: a version rolled back is
never seen again, and one version stands for one state of its table.

Reading: the versions of the tables a statement names (any watched table named in its SQL)
are read with it; the answer is taken from the cache under (the statement, its parameters,
those versions), or computed and kept only if the versions read after it are those read
before (a write that committed in between may be in the answer: it is not kept). A statement
naming a table that is not watched, or run by a transaction that has written a watched table
and not yet committed (PostgreSQL), is simply run.

Visits are also versioned by part (PARTITIONED): by month, and by year and office (the
office their enterprise is in now). A write moves the versions of the parts of the rows it
wrote, before and after, and a statement that reads some parts only (a period's coverage)
says so, so that last year's answer outlives today's visits. A part no one has written since
the table's generation began has no version yet, which is a version too: the generation is
part of every key that reads parts, and starts again whenever the table is given a new
version by `ensure()` or emptied.

`fetch_split` goes one step further for a statement whose rows fall apart by office (a
zone's coverage, per grid): it keeps each office's rows under that office's versions, and
when some offices' visits were written it counts again those offices alone — a visit
recorded in one office of sixty costs a sixtieth of the zone's pass.

`ensure()` (after every migrate) creates the triggers when they are missing or differ from
these, and gives every table a new version when they did or a migration ran: whatever was
written while they were missing is never answered from an older state.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connections, transaction
from django.db.models import Model

from anjian.accounts.models import User
from anjian.coverage.models import CoveragePolicy
from anjian.enforcement.models import Notice
from anjian.enterprises.models import Enterprise
from anjian.fieldwork.models import Visit
from anjian.hazards.models import Hazard
from anjian.regions.models import Grid, GridAssignment, Region
from anjian.statistics.models import (
    HazardClosedTally,
    HazardFoundTally,
    PendingVersion,
    TableVersion,
    VisitTally,
)
from anjian.statistics.triggers import postgresql_existing, run, sqlite_existing

TRIGGER_PREFIX = "statistics_version_"
VERSIONS = TableVersion._meta.db_table
PENDING = PendingVersion._meta.db_table
# A random version (no "%" in these: Django formats a statement with its parameters when it
# logs it, as with DEBUG on). SQLite's generator is one per process, so processes forked
# after it was used draw the same numbers: the time, in microseconds, is added.
RANDOM = {
    "sqlite": "((random() >> 11) + CAST(julianday('now') * 86400000000 AS INTEGER))",
    "postgresql": "floor(random() * 9007199254740991)::bigint",
}


def _watched_models() -> list[type[Model]]:
    models: list[type[Model]] = [
        Hazard,
        Visit,
        Enterprise,
        Grid,
        GridAssignment,
        Region,
        User,
        Notice,
        CoveragePolicy,
    ]
    # Their many-to-many tables (a visit's people, a notice's hazards …): the lists'
    # filters read them too.
    through: list[type[Model]] = []
    for m in models:
        for f in m._meta.local_many_to_many:
            table = f.remote_field.through
            if table is not None and table._meta.auto_created:
                through.append(table)
    return models + through


# The tables whose versions are kept: what the layer's figures read.
WATCHED: list[str] = sorted({m._meta.db_table for m in _watched_models()})
# Tables only the database's own triggers write, in the same transaction as the table they
# follow: they change only when it does (and `ensure()` recounts them with new versions).
FOLLOWS = {
    HazardFoundTally._meta.db_table: Hazard._meta.db_table,
    HazardClosedTally._meta.db_table: Hazard._meta.db_table,
    VisitTally._meta.db_table: Visit._meta.db_table,
}


@dataclass(frozen=True)
class Partition:
    """How a table's rows fall into parts: by the month of `date` ("2026-03"), and by its
    year and the office of the row of `owner` that `owner_column` points at ("2026/o17")."""

    date: str
    owner_column: str
    owner: str


# Tables whose versions are kept by part too: a write moves the table's version and those of
# the parts of the rows it wrote (before and after).
PARTITIONED = {
    Visit._meta.db_table: Partition("visited_on", "enterprise_id", Enterprise._meta.db_table)
}


# --- reading ------------------------------------------------------------------------------------


@functools.cache
def _all_tables() -> frozenset[str]:
    return frozenset(m._meta.db_table for m in apps.get_models(include_auto_created=True))


_WORD = re.compile(r"[a-z][a-z0-9_]*")


def tables_named(sql: str) -> frozenset[str]:
    """Every table of the project's a statement names, quoted or not (a column that shares
    a table's name counts too: it can only make the statement read around the cache)."""
    return frozenset(_WORD.findall(sql.lower())) & _all_tables()


def fetch(
    sql: str,
    params: Sequence[Any] = (),
    using: str = "default",
    parts: Mapping[str, Iterable[str]] | None = None,
) -> list[tuple[Any, ...]]:
    """The rows of a read-only statement: from the cache while the tables it names keep the
    versions it was answered under, else run (and kept, when it may be).

    `parts` ({table: ["2025-01", …]}) says that the statement reads only rows in those
    parts of a table kept by part (PARTITIONED): it is answered again only when one of them
    is written, not whenever the table is (last year's coverage outlives today's visits)."""
    rows = _fetch(sql, params, using, parts, kept_only=False)
    assert rows is not None
    return rows


def kept(
    sql: str, params: Sequence[Any] = (), using: str = "default"
) -> list[tuple[Any, ...]] | None:
    """The answer fetch() keeps for a read-only statement under its tables' current
    versions; None when there is none (nothing is run): for a page that shows an answer
    later rather than wait for it."""
    return _fetch(sql, params, using, None, kept_only=True)


def _fetch(
    sql: str,
    params: Sequence[Any],
    using: str,
    parts: Mapping[str, Iterable[str]] | None,
    *,
    kept_only: bool,
) -> list[tuple[Any, ...]] | None:
    conn = connections[using]
    watched = _watched(sql, parts)
    if watched is None:
        return None if kept_only else _run(conn, sql, params)
    required, optional = watched
    before = _versions(conn, required, optional)
    if before is None:
        return None if kept_only else _run(conn, sql, params)
    key = _key(conn, sql, params, before)
    cache = caches[settings.STATISTICS_CACHE]
    answer = cache.get(key)
    if answer is not None:
        return list(answer)
    if kept_only:
        return None
    rows = _run(conn, sql, params)
    if _versions(conn, required, optional) == before:
        cache.set(key, rows, settings.STATISTICS_CACHE_SECONDS)
    return rows


def _watched(
    sql: str, parts: Mapping[str, Iterable[str]] | None
) -> tuple[list[str], list[str]] | None:
    """The versions a statement's answer is kept under: (required, optional) names; None
    when it names a table that is not watched (it is simply run)."""
    named = tables_named(sql)
    if not named or any(t not in WATCHED and t not in FOLLOWS for t in named):
        return None
    required: list[str] = []
    optional: list[str] = []
    for table in sorted({FOLLOWS.get(t, t) for t in named}):
        if parts and table in parts and table in PARTITIONED:
            # The table's generation (renewed with every version), and each part's version:
            # none yet for a part nothing was written in since.
            required.append(generation(table))
            optional.extend(part_version(table, p) for p in sorted(set(parts[table])))
        else:
            required.append(table)
    return required, optional


def fetch_split(
    statement: Callable[[Sequence[int] | None], tuple[str, Sequence[Any]]],
    table: str,
    parts: Mapping[int, Sequence[str]],
    office_of: Callable[[Sequence[Any]], int],
    using: str = "default",
) -> list[tuple[Any, ...]]:
    """The rows of a read-only statement whose rows fall apart by office, kept per office.

    `statement(None)` is the statement over every office of `parts` ({office: the parts of
    `table` its rows read, e.g. ["2026/o17"]}); `statement([17, 23])` the same narrowed to
    those offices; `office_of(row)` the office a row belongs to. Each office's rows are kept
    under the versions of its parts (and of every other table the statement names); when
    some offices' parts were written since, only those offices are counted again, as long
    as they are at most half of them (else the whole statement is run)."""
    conn = connections[using]
    sql, params = statement(None)
    offices = sorted(parts)
    watched = _watched(sql, {table: [p for o in offices for p in parts[o]]})
    if watched is None or table not in PARTITIONED:
        return _run(conn, sql, params)
    required, optional = watched
    before = _versions(conn, required, optional)
    if before is None:
        return _run(conn, sql, params)
    base = before[: len(required)]
    of_part = dict(zip(optional, before[len(required) :], strict=True))

    def mark(office: int) -> tuple[Any, ...]:
        return tuple(of_part[part_version(table, p)] for p in sorted(set(parts[office])))

    key = _key(conn, sql, params, base)
    cache = caches[settings.STATISTICS_CACHE]
    kept: dict[int, tuple[tuple[Any, ...], list[tuple[Any, ...]]]] = cache.get(key) or {}
    stale = [o for o in offices if o not in kept or kept[o][0] != mark(o)]
    if not stale:
        return [row for o in offices for row in kept[o][1]]
    if kept and len(stale) * 2 <= len(offices):
        counted = _run(conn, *statement(stale))
        answer = {o: kept[o] for o in offices if o not in stale}
    else:
        counted = _run(conn, sql, params)
        answer, stale = {}, offices
    grouped: dict[int, list[tuple[Any, ...]]] = {o: [] for o in stale}
    for row in counted:
        office = office_of(row)
        if office not in grouped:
            # A row of an office not asked about: the parts given do not cover the
            # statement; nothing is kept.
            return _run(conn, sql, params)
        grouped[office].append(row)
    answer.update((o, (mark(o), rows)) for o, rows in grouped.items())
    if _versions(conn, required, optional) == before:
        cache.set(key, answer, settings.STATISTICS_CACHE_SECONDS)
    return [row for o in offices for row in answer[o][1]]


def office_years(
    offices: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[int, list[str]]:
    """{office: the parts of its rows in the years from `start` to `end`}, as the versions
    name them ("2026/o17")."""
    years = range(start.year, end.year + 1)
    return {o: [f"{y:04d}/o{o}" for y in years] for o in offices}


def months_of(start: datetime.date, end: datetime.date) -> list[str]:
    """The months from `start` to `end` ("2026-01" …), as the versions name them."""
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def generation(table: str) -> str:
    return f"{table}#"


def part_version(table: str, part: str) -> str:
    return f"{table}@{part}"


def _run(conn: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(r) for r in cursor.fetchall()]


def _versions(
    conn: Any,
    required: Sequence[str],
    optional: Sequence[str] = (),
) -> tuple[tuple[tuple[str, int], ...], ...] | None:
    """The versions named, or None when the cache may not be read: a required one missing,
    or (PostgreSQL) this transaction's own writes, not yet committed, not yet in them.

    On PostgreSQL a name's version is its row and the rows each server process keeps for it
    ("hazards_hazard:4242": a process moves only its own, so commits never wait on each
    other); on SQLite, its row alone."""
    names = [*required, *optional]
    marks = ", ".join(["%s"] * len(names))
    if conn.vendor == "postgresql":
        sql = (
            f"SELECT name, n FROM {VERSIONS} WHERE split_part(name, ':', 1) IN ({marks})"
            f" UNION ALL SELECT '', 1 FROM {PENDING} WHERE txid = txid_current_if_assigned()"
        )
    else:
        sql = f"SELECT name, n FROM {VERSIONS} WHERE name IN ({marks})"
    with conn.cursor() as cursor:
        cursor.execute(sql, names)
        rows = cursor.fetchall()
    found: dict[str, list[tuple[str, int]]] = {}
    for name, n in rows:
        if name == "":
            return None
        found.setdefault(name.split(":", 1)[0], []).append((name, n))
    if any(all(row != t for row, _n in found.get(t, [])) for t in required):
        return None
    return tuple(tuple(sorted(found.get(t, []))) for t in names)


def _key(conn: Any, sql: str, params: Sequence[Any], versions: tuple[Any, ...]) -> str:
    digest = hashlib.sha256()
    for part in (conn.vendor, str(conn.settings_dict["NAME"]), sql, repr(list(params))):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(repr(versions).encode())
    return f"statistics:{digest.hexdigest()}"


# --- keeping them ---------------------------------------------------------------------------------


class Dialect:
    def triggers(self) -> dict[str, tuple[str, str]]:
        """name -> (table, definition as the database keeps it)."""
        raise NotImplementedError

    def create(self) -> list[str]:
        raise NotImplementedError

    def existing(self, cursor: Any) -> dict[str, tuple[str, str]]:
        raise NotImplementedError

    def drop(self, name: str, table: str) -> list[str]:
        raise NotImplementedError


class SQLite(Dialect):
    def parts(self, table: str, row: str) -> str:
        """Give the parts of `row` (NEW or OLD) of a partitioned table new versions: its
        month, and its year with its owner's office."""
        p = PARTITIONED[table]
        upsert = "    ON CONFLICT (name) DO UPDATE SET n = excluded.n;\n"
        return (
            f"  INSERT INTO {VERSIONS} (name, n) VALUES "
            f"('{table}@' || substr({row}.{p.date}, 1, 7), {RANDOM['sqlite']})\n{upsert}"
            f"  INSERT INTO {VERSIONS} (name, n) SELECT '{table}@' || substr({row}.{p.date}, 1, 4)"
            f" || '/o' || office_id, {RANDOM['sqlite']}\n"
            f"    FROM {p.owner} WHERE id = {row}.{p.owner_column}\n{upsert}"
        )

    def triggers(self) -> dict[str, tuple[str, str]]:
        out = {}
        for table in WATCHED:
            for event, rows in (
                ("INSERT", ["NEW"]),
                ("UPDATE", ["OLD", "NEW"]),
                ("DELETE", ["OLD"]),
            ):
                name = f"{TRIGGER_PREFIX}{table}_{event.lower()}"
                parts = "".join(self.parts(table, r) for r in rows) if table in PARTITIONED else ""
                out[name] = (
                    table,
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN\n"
                    f"  UPDATE {VERSIONS} SET n = {RANDOM['sqlite']} WHERE name = '{table}';\n"
                    f"{parts}END",
                )
        return out

    def create(self) -> list[str]:
        return [definition for _table, definition in self.triggers().values()]

    def existing(self, cursor: Any) -> dict[str, tuple[str, str]]:
        return sqlite_existing(cursor, TRIGGER_PREFIX)

    def drop(self, name: str, table: str) -> list[str]:
        return [f"DROP TRIGGER IF EXISTS {name}"]


# The rows of PostgreSQL processes gone (no longer in pg_stat_activity), dropped; their
# tables' own rows move with them, so no earlier set of versions comes back. (In the commit
# trigger; SELECT for PERFORM runs it outside PL/pgSQL.)
PRUNE = (
    f"    PERFORM 1 FROM {VERSIONS} WHERE name IN (SELECT split_part(name, ':', 1)\n"
    f"      FROM {VERSIONS} WHERE name LIKE '%:%' AND split_part(name, ':', 2)::int\n"
    "      NOT IN (SELECT pid FROM pg_stat_activity)) ORDER BY name FOR UPDATE;\n"
    f"    WITH gone AS (DELETE FROM {VERSIONS} WHERE name LIKE '%:%'\n"
    "      AND split_part(name, ':', 2)::int NOT IN (SELECT pid FROM pg_stat_activity)\n"
    "      RETURNING split_part(name, ':', 1) AS base)\n"
    # A part has no row of its own until then: it gets one, else its version would
    # be the set it had before the process wrote it.
    f"    INSERT INTO {VERSIONS} (name, n) SELECT base, {RANDOM['postgresql']}\n"
    "      FROM (SELECT DISTINCT base FROM gone) pruned\n"
    "      ON CONFLICT (name) DO UPDATE SET n = excluded.n;\n"
)


def prune(using: str = "default") -> None:
    """The rows of PostgreSQL processes gone dropped now (their tables' own rows move, so
    every answer under them is counted again once): what the commit trigger does now and
    then, for a database loaded by processes since gone (a benchmark's copy of the demo)."""
    conn = connections[using]
    if conn.vendor != "postgresql":
        return
    with transaction.atomic(using=using), conn.cursor() as cursor:
        # (PRUNE's statements as the trigger runs them; PERFORM is SELECT outside PL/pgSQL.)
        for statement in PRUNE.replace("PERFORM 1", "SELECT 1", 1).split(";\n"):
            if statement.strip():
                cursor.execute(statement)


class PostgreSQL(Dialect):
    # A statement on a watched table notes it as written by this transaction (no lock on
    # anything shared): its name, and for a partitioned table the parts of the rows it
    # wrote (read from the statement's transition tables); emptying a table notes its
    # generation. At commit, a deferred trigger gives what was noted new versions: this
    # process's own rows for those names.
    NOTE = f"{TRIGGER_PREFIX}note"
    COMMIT = f"{TRIGGER_PREFIX}commit"
    NOTE_BODY = (
        "\nBEGIN\n"
        f"  INSERT INTO {PENDING} (txid, name) VALUES (txid_current(), TG_TABLE_NAME)\n"
        "    ON CONFLICT (txid, name) DO NOTHING;\n"
        "  IF TG_OP = 'TRUNCATE' THEN\n"
        f"    INSERT INTO {PENDING} (txid, name) VALUES (txid_current(), TG_TABLE_NAME || '#')\n"
        "      ON CONFLICT (txid, name) DO NOTHING;\n"
        "  END IF;\n"
        "  RETURN NULL;\nEND\n"
    )
    COMMIT_BODY = (
        "\nBEGIN\n"
        # This process's own version of each table (and month) the transaction wrote: rows
        # no other process writes, so no commit waits on another (nor deadlocks with the
        # foreign keys' checks, which also run at commit).
        f"  INSERT INTO {VERSIONS} (name, n)\n"
        f"    SELECT name || ':' || pg_backend_pid(), {RANDOM['postgresql']}\n"
        f"    FROM {PENDING} WHERE txid = NEW.txid\n"
        "    ON CONFLICT (name) DO UPDATE SET n = excluded.n;\n"
        # A table emptied: its parts' versions go with its rows (its generation moved).
        f"  DELETE FROM {VERSIONS} WHERE name LIKE ANY (SELECT replace(name, '#', '@%')\n"
        f"    FROM {PENDING} WHERE txid = NEW.txid AND name LIKE '%#');\n"
        f"  DELETE FROM {PENDING} WHERE txid = NEW.txid;\n"
        # Now and then, the rows of processes gone: their tables' own rows move with them,
        # so no earlier set of versions comes back.
        f"  IF random() < 0.02 THEN\n{PRUNE}  END IF;\n"
        "  RETURN NULL;\nEND\n"
    )
    # A partitioned table's statements, by event: the transition tables they read.
    EVENTS = {"insert": ["NEW"], "update": ["OLD", "NEW"], "delete": ["OLD"]}

    def parts_body(self, table: str, event: str) -> str:
        p = PARTITIONED[table]
        rows = " UNION ".join(
            f"SELECT {p.date}, {p.owner_column} FROM {r.lower()}_rows" for r in self.EVENTS[event]
        )
        return (
            "\nBEGIN\n"
            # The owners' rows held until commit: their office (in the parts' names) cannot
            # change under this write before it lands (one moved meanwhile is read as moved).
            f"  PERFORM 1 FROM {p.owner} WHERE id IN (SELECT r.{p.owner_column} FROM ({rows}) r)\n"
            "    ORDER BY id FOR SHARE;\n"
            f"  INSERT INTO {PENDING} (txid, name)\n"
            f"    SELECT DISTINCT txid_current(), '{table}@' || part FROM (\n"
            f"      SELECT to_char(r.{p.date}, 'YYYY-MM') AS part FROM ({rows}) r\n"
            f"      UNION SELECT to_char(r.{p.date}, 'YYYY') || '/o' || o.office_id\n"
            f"      FROM ({rows}) r JOIN {p.owner} o ON o.id = r.{p.owner_column}) parts\n"
            "    ON CONFLICT (txid, name) DO NOTHING;\n"
            "  RETURN NULL;\nEND\n"
        )

    def triggers(self) -> dict[str, tuple[str, str]]:
        out = {f"{TRIGGER_PREFIX}{t}": (t, self.NOTE_BODY) for t in WATCHED}
        out[self.COMMIT] = (PENDING, self.COMMIT_BODY)
        for table in PARTITIONED:
            for event in self.EVENTS:
                out[f"{TRIGGER_PREFIX}{table}_{event}"] = (table, self.parts_body(table, event))
        return out

    def create(self) -> list[str]:
        statements = [
            f"CREATE OR REPLACE FUNCTION {self.NOTE}() RETURNS trigger LANGUAGE plpgsql "
            f"AS $version${self.NOTE_BODY}$version$",
            f"CREATE OR REPLACE FUNCTION {self.COMMIT}() RETURNS trigger LANGUAGE plpgsql "
            f"AS $version${self.COMMIT_BODY}$version$",
            f"CREATE CONSTRAINT TRIGGER {self.COMMIT} AFTER INSERT ON {PENDING} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {self.COMMIT}()",
        ]
        for table in WATCHED:
            statements.append(
                f"CREATE TRIGGER {TRIGGER_PREFIX}{table} AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {self.NOTE}()"
            )
        for table in PARTITIONED:
            for event, rows in self.EVENTS.items():
                name = f"{TRIGGER_PREFIX}{table}_{event}"
                referencing = " ".join(f"{r} TABLE AS {r.lower()}_rows" for r in rows)
                statements += [
                    f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
                    f"AS $version${self.parts_body(table, event)}$version$",
                    f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} "
                    f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
                ]
        return statements

    def existing(self, cursor: Any) -> dict[str, tuple[str, str]]:
        return postgresql_existing(cursor, TRIGGER_PREFIX)

    def drop(self, name: str, table: str) -> list[str]:
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}"]


def dialect(vendor: str) -> Dialect | None:
    return {"sqlite": SQLite, "postgresql": PostgreSQL}.get(vendor, lambda: None)()


def ensure(using: str = "default", plan: Sequence[Any] | None = None, **kwargs: Any) -> None:
    """After every migrate: the triggers created when they are missing or not exactly
    these, and every watched table given a new version when a migration ran (it may have
    written with the triggers dropped: SQLite drops a table's triggers when it rebuilds
    it). A migrate that applied nothing (`plan` empty: a deploy without migrations) keeps
    the versions, and so every answer kept under them (with a shared cache, a restart
    finds them all)."""
    conn = connections[using]
    d = dialect(conn.vendor)
    tables = set(conn.introspection.table_names())
    if d is None or not {VERSIONS, PENDING, *WATCHED} <= tables:
        return
    with conn.cursor() as cursor:
        current = d.existing(cursor) == d.triggers()
    if not current:
        rebuild(using)
        return
    if plan is not None and not plan:
        return
    with transaction.atomic(using=using), conn.cursor() as cursor:
        renew(cursor, conn.vendor)


def drop_triggers(using: str = "default") -> None:
    """The versions' triggers dropped, in the caller's transaction (statistics.loading: a
    bulk load; `rebuild` puts them back and gives every table a new version)."""
    conn = connections[using]
    d = dialect(conn.vendor)
    assert d is not None
    with conn.cursor() as cursor:
        for name, (table, _definition) in d.existing(cursor).items():
            run(cursor, d.drop(name, table))


def rebuild(using: str = "default") -> None:
    """The triggers created again and every table given a new version, atomically."""
    conn = connections[using]
    d = dialect(conn.vendor)
    assert d is not None
    with transaction.atomic(using=using), conn.cursor() as cursor:
        drop_triggers(using)
        run(cursor, d.create())
        renew(cursor, conn.vendor)


def renew(cursor: Any, vendor: str, tables: Iterable[str] = WATCHED) -> None:
    """New versions for `tables` (every watched one by default): what the triggers did not
    see (a rebuild of the tallies, a load with the triggers off) is never answered from the
    cache. A partitioned table starts a new generation with no part versions; the rows
    PostgreSQL's processes kept go."""
    for table in tables:
        names = [table, generation(table)] if table in PARTITIONED else [table]
        for name in names:
            cursor.execute(
                f"DELETE FROM {VERSIONS} WHERE name = %s OR name LIKE %s", [name, f"{name}:%"]
            )
            cursor.execute(f"INSERT INTO {VERSIONS} (name, n) SELECT %s, {RANDOM[vendor]}", [name])
        if table in PARTITIONED:
            cursor.execute(f"DELETE FROM {VERSIONS} WHERE name LIKE %s", [f"{table}@%"])
