"""The versions of the tables the statistics layer reads, and the answers it keeps under them.

A figure's query reads a few tables. While none of them changes, its answer stays the same,
so the layer answers it again from the cache instead of reading the rows again (a year's
coverage reads every enterprise's visits: ~200 ms at city scale; from the cache, well under
a millisecond). Nothing is kept for a while or "fresh enough": an answer is served only for
the exact versions of the tables it was computed from.

The versions are kept by the database itself, like the tallies: whenever a statement writes a
watched table, whoever runs it, that table's row in `statistics_tableversion` takes a new
random value — in the same transaction on SQLite (its writers take turns anyway), at commit
on PostgreSQL (a deferred trigger, so a writer holds the row only while it commits, and locks
the rows it moves in one order, so two commits never wait on each other). A version is
random, never a counter: a version rolled back is never seen again, and one version stands
for one state of its table.

Reading: the versions of the tables a statement names (any watched table named in its SQL)
are read with it; the answer is taken from the cache under (the statement, its parameters,
those versions), or computed and kept only if the versions read after it are those read
before (a write that committed in between may be in the answer: it is not kept). A statement
naming a table that is not watched, or run by a transaction that has written a watched table
and not yet committed (PostgreSQL), is simply run.

`ensure()` (after every migrate) creates the triggers when they are missing or differ from
these, and gives every table a new version: whatever was written while they were missing is
never answered from an older state.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Sequence
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
from anjian.statistics.triggers import postgresql_existing, sqlite_existing

TRIGGER_PREFIX = "statistics_version_"
VERSIONS = TableVersion._meta.db_table
PENDING = PendingVersion._meta.db_table
# A random version: a positive integer any engine keeps in a 64-bit column.
RANDOM = {
    "sqlite": "abs(random() % 9007199254740991)",
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


# --- reading ------------------------------------------------------------------------------------


@functools.cache
def _all_tables() -> frozenset[str]:
    return frozenset(m._meta.db_table for m in apps.get_models(include_auto_created=True))


_WORD = re.compile(r"[a-z][a-z0-9_]*")


def tables_named(sql: str) -> frozenset[str]:
    """Every table of the project's a statement names, quoted or not (a column that shares
    a table's name counts too: it can only make the statement read around the cache)."""
    return frozenset(_WORD.findall(sql.lower())) & _all_tables()


def fetch(sql: str, params: Sequence[Any] = (), using: str = "default") -> list[tuple[Any, ...]]:
    """The rows of a read-only statement: from the cache while the tables it names keep the
    versions it was answered under, else run (and kept, when it may be)."""
    conn = connections[using]
    named = tables_named(sql)
    if not named or any(t not in WATCHED and t not in FOLLOWS for t in named):
        return _run(conn, sql, params)
    tables = sorted({FOLLOWS.get(t, t) for t in named})
    before = _versions(conn, tables)
    if before is None:
        return _run(conn, sql, params)
    key = _key(conn, sql, params, before)
    cache = caches[settings.STATISTICS_CACHE]
    kept = cache.get(key)
    if kept is not None:
        return list(kept)
    rows = _run(conn, sql, params)
    if _versions(conn, tables) == before:
        cache.set(key, rows, settings.STATISTICS_CACHE_SECONDS)
    return rows


def _run(conn: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(r) for r in cursor.fetchall()]


def _versions(conn: Any, tables: list[str]) -> tuple[int, ...] | None:
    """The tables' versions, or None when the cache may not be read: a table without one
    yet, or (PostgreSQL) this transaction's own writes, not yet committed, not yet in them."""
    marks = ", ".join(["%s"] * len(tables))
    sql = f"SELECT name, n FROM {VERSIONS} WHERE name IN ({marks})"
    if conn.vendor == "postgresql":
        sql += f" UNION ALL SELECT '', 1 FROM {PENDING} WHERE txid = txid_current_if_assigned()"
    with conn.cursor() as cursor:
        cursor.execute(sql, tables)
        found = dict(cursor.fetchall())
    if found.pop("", 0) or len(found) != len(tables):
        return None
    return tuple(found[t] for t in tables)


def _key(conn: Any, sql: str, params: Sequence[Any], versions: tuple[int, ...]) -> str:
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
    def triggers(self) -> dict[str, tuple[str, str]]:
        out = {}
        for table in WATCHED:
            for event in ("INSERT", "UPDATE", "DELETE"):
                name = f"{TRIGGER_PREFIX}{table}_{event.lower()}"
                out[name] = (
                    table,
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN\n"
                    f"  UPDATE {VERSIONS} SET n = {RANDOM['sqlite']} WHERE name = '{table}';\n"
                    "END",
                )
        return out

    def create(self) -> list[str]:
        return [definition for _table, definition in self.triggers().values()]

    def existing(self, cursor: Any) -> dict[str, tuple[str, str]]:
        return sqlite_existing(cursor, TRIGGER_PREFIX)

    def drop(self, name: str, table: str) -> list[str]:
        return [f"DROP TRIGGER IF EXISTS {name}"]


class PostgreSQL(Dialect):
    # A statement on a watched table notes it as written by this transaction (no lock on
    # anything shared); at commit, a deferred trigger gives the noted tables new versions,
    # locking their rows in name order.
    NOTE = f"{TRIGGER_PREFIX}note"
    COMMIT = f"{TRIGGER_PREFIX}commit"
    NOTE_BODY = (
        "\nBEGIN\n"
        f"  INSERT INTO {PENDING} (txid, name) VALUES (txid_current(), TG_TABLE_NAME)\n"
        "    ON CONFLICT (txid, name) DO NOTHING;\n"
        "  RETURN NULL;\nEND\n"
    )
    COMMIT_BODY = (
        "\nBEGIN\n"
        f"  PERFORM 1 FROM {VERSIONS} WHERE name IN\n"
        f"    (SELECT name FROM {PENDING} WHERE txid = NEW.txid) ORDER BY name FOR UPDATE;\n"
        f"  UPDATE {VERSIONS} SET n = {RANDOM['postgresql']} WHERE name IN\n"
        f"    (SELECT name FROM {PENDING} WHERE txid = NEW.txid);\n"
        f"  DELETE FROM {PENDING} WHERE txid = NEW.txid;\n"
        "  RETURN NULL;\nEND\n"
    )

    def triggers(self) -> dict[str, tuple[str, str]]:
        out = {f"{TRIGGER_PREFIX}{t}": (t, self.NOTE_BODY) for t in WATCHED}
        out[self.COMMIT] = (PENDING, self.COMMIT_BODY)
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
        return statements

    def existing(self, cursor: Any) -> dict[str, tuple[str, str]]:
        return postgresql_existing(cursor, TRIGGER_PREFIX)

    def drop(self, name: str, table: str) -> list[str]:
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}"]


def dialect(vendor: str) -> Dialect | None:
    return {"sqlite": SQLite, "postgresql": PostgreSQL}.get(vendor, lambda: None)()


def ensure(using: str = "default", **kwargs: Any) -> None:
    """After every migrate: the triggers created when they are missing or not exactly
    these, and every watched table given a new version (a migration may have written with
    the triggers dropped — SQLite drops a table's triggers when it rebuilds it — and the
    tallies may have been counted again)."""
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
    with transaction.atomic(using=using), conn.cursor() as cursor:
        renew(cursor, conn.vendor)


def rebuild(using: str = "default") -> None:
    """The triggers created again and every table given a new version, atomically."""
    conn = connections[using]
    d = dialect(conn.vendor)
    assert d is not None
    with transaction.atomic(using=using), conn.cursor() as cursor:
        for name, (table, _definition) in d.existing(cursor).items():
            for sql in d.drop(name, table):
                cursor.execute(sql)
        for sql in d.create():
            cursor.execute(sql)
        renew(cursor, conn.vendor)


def renew(cursor: Any, vendor: str, tables: Iterable[str] = WATCHED) -> None:
    """New versions for `tables` (every watched one by default): what the triggers did not
    see (a rebuild of the tallies, a load with the triggers off) is never answered from the
    cache."""
    for table in tables:
        cursor.execute(f"DELETE FROM {VERSIONS} WHERE name = %s", [table])
        cursor.execute(f"INSERT INTO {VERSIONS} (name, n) SELECT %s, {RANDOM[vendor]}", [table])
