"""What every benchmark shares: its own fresh database, timing, and the figure-beside-budget line.

Each benchmark runs in its own process (see run.py) with its own database: a SQLite file in a
temporary directory, or, when DATABASE_URL is set, a fresh PostgreSQL database created beside
the one it names and dropped afterwards.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import math
import os
import secrets
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

_cleanup: list[Callable[[], None]] = []


def prepare_django(name: str) -> None:
    """Point settings at a new, empty database for this benchmark; set Django up; migrate."""
    var_dir = tempfile.mkdtemp(prefix=f"anjian-bench-{name}-")
    os.environ["ANJIAN_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Measure what production runs: DEBUG off (no query log kept, no debug pages).
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
    _cleanup.append(lambda: shutil.rmtree(var_dir, ignore_errors=True))
    if os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = _fresh_postgres_database(os.environ["DATABASE_URL"], name)

    import django
    from django.core.management import call_command

    # WhiteNoise notes that STATIC_ROOT was never collected; no benchmark serves files.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

    django.setup()
    call_command("migrate", verbosity=0)


def _fresh_postgres_database(url: str, name: str) -> str:
    import psycopg
    from psycopg import sql

    base, named = url.rsplit("/", 1)
    # Named after the database DATABASE_URL names, so runs against different databases on
    # one server (e.g. parallel branches) never share or drop each other's.
    db_name = f"{named}_bench_{name}"
    admin_url = f"{base}/postgres"

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db_name))
            )

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db_name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db_name)))
    _cleanup.append(drop)
    return f"{base}/{db_name}"


def cleanup() -> None:
    while _cleanup:
        with contextlib.suppress(Exception):
            _cleanup.pop()()


def engine() -> str:
    from django.db import connection

    return connection.vendor


@contextlib.contextmanager
def stopwatch() -> Iterator[list[float]]:
    """`with stopwatch() as t: ...` then t[0] is the wall time in seconds."""
    box: list[float] = []
    started = time.perf_counter()
    try:
        yield box
    finally:
        box.append(time.perf_counter() - started)


def p95(samples: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def median(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2]


def report(
    name: str, figure: float, budget: float | None, unit: str, note: str = "", fmt: str = ".1f"
) -> bool:
    """Print `name: figure (budget X)`, with MISSED when the figure is over its budget."""
    shown = f"{figure:{fmt}} {unit}".strip()
    if budget is None:
        line = f"{name}: {shown}"
    else:
        verdict = "ok" if figure <= budget else "MISSED"
        line = f"{name}: {shown} (budget {budget:g} {unit}".rstrip() + f") {verdict}"
    if note:
        line += f"  [{note}]"
    print(line, flush=True)
    return budget is None or figure <= budget


def note(text: str) -> None:
    print(f"  {text}", flush=True)


# --- in-process requests, and the SQL they ran replayed raw ------------------------------------
# The API benchmarks time, for each query, the API, the same SQL replayed with cursor.execute
# (the database's share) and a bare Django view (bench/urls.py) round-robin in one loop, so the
# three share the machine's noise (PERFORMANCE.md).

Statements = list[tuple[str, Any]]


def timed(fn: Callable[[], Any]) -> float:
    """Run `fn`; its wall time in milliseconds."""
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def get_ok(client: Any, url: str, params: dict[str, Any], **headers: Any) -> Any:
    """`client.get`, failing the benchmark on anything but 200."""
    response = client.get(url, params, **headers)
    if response.status_code != 200:
        raise RuntimeError(f"{url} {params}: {response.status_code} {response.content[:300]!r}")
    return response


def capture_sql(call: Callable[[], Any], table: str) -> Statements:
    """The statements `call` runs that name a table starting with `table` (e.g.
    '"hazards_hazard"'), with their parameters."""
    from django.db import connection

    seen: Statements = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        call()
    return [(s, p) for s, p in seen if table in s]


def replay(statements: Statements) -> None:
    """Run captured statements again with cursor.execute + fetchall: the database's share."""
    from django.db import connection

    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()


def report_api(
    title: str, api: float, raw: float, bare: float, budget: float, other: str, other_budget: float
) -> bool:
    """The API's p95 beside `budget` (and `other_budget`, named `other`), then the raw SQL's
    and the bare view's p95 under it."""
    verdict = "ok" if api <= other_budget else "MISSED"
    ok = report(title, api, budget, "ms", f"{other} {other_budget:g} ms: {verdict}")
    report("  same SQL, raw p95", raw, None, "ms")
    report("  bare Django view p95", bare, None, "ms")
    return ok


def explain(sql: str, params: Any) -> list[str]:
    """The engine's plan of one statement, a line per step."""
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return [" ".join(str(c) for c in row) for row in cursor.fetchall()]


def seed(scale: str, *, activity: bool = False, out: io.StringIO | None = None) -> float:
    """Load the demo zone at `scale`, the registry alone unless `activity` (the year of field
    work and hazards too); return the wall time in seconds."""
    from django.core.management import call_command

    args = [] if activity else ["--no-activity"]
    with stopwatch() as t:
        call_command("seed_demo", *args, scale=scale, stdout=out or io.StringIO())
    return t[0]


# --- demo databases built once and kept ---------------------------------------------------------
# A city-scale demo with its year of activity (~730,000 hazards) takes minutes to build, so the
# benchmarks that only read it build it once and keep it under var/bench/, keyed by the scale and
# the demo loader's code: a change to the loader builds a new one. Beside it, a list of the
# migrations it was built under (file -> digest): when the code only adds migrations, the kept
# copy is migrated forward and kept again; a migration edited or removed builds a new one.
# SQLite keeps a compacted copy of the file; PostgreSQL keeps a template database.

CACHE_DIR = Path(__file__).resolve().parent.parent / "var" / "bench"
ROOT = Path(__file__).resolve().parent.parent


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@functools.cache
def code_version() -> str:
    """The demo loader's code (what the kept demo's rows depend on), read once per benchmark
    process: an edit under anjian/demo/ while a benchmark runs must not make its next turn
    seed the city again under the new key (with the old code, already imported)."""
    return _digest(sorted(p for p in ROOT.glob("anjian/demo/**/*.py") if "tests" not in p.parts))


def migration_digests() -> dict[str, str]:
    return {
        str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest()[:12]
        for p in sorted(ROOT.glob("anjian/*/migrations/*.py"))
    }


def _forward_only(kept: Path) -> bool | None:
    """Whether the kept demo's migrations are all still here unchanged (None: none kept):
    then the current code only adds to them, and migrating the copy brings it up to date."""
    listing = kept.with_suffix(".json")
    if not listing.exists():
        return None
    built: dict[str, str] = json.loads(listing.read_text())
    now = migration_digests()
    return all(now.get(name) == digest for name, digest in built.items())


def _keep_listing(kept: Path, migrations: dict[str, str]) -> None:
    """Beside the kept demo: the migrations it was built under, as read before migrating
    (a migration written while it was being built is not in it)."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    kept.with_suffix(".json").write_text(json.dumps(migrations, indent=1))


def cached_seed(scale: str) -> tuple[float | None, str]:
    """The demo at `scale` with its activity in this benchmark's database: copied from the
    kept one when there is one (returns None, how), else seeded and kept (seconds, how)."""
    from django.conf import settings

    key = f"{scale}-{code_version()}"
    if engine() != "sqlite":
        return _cached_postgres(scale, key)
    kept = CACHE_DIR / f"demo-{key}.sqlite3"
    target = Path(settings.DATABASES["default"]["NAME"])
    forward = _forward_only(kept) if kept.exists() else None
    migrations = migration_digests()
    if forward:
        _copy_sqlite(kept, target)
        if not _migrate_forward():
            return None, f"copied from {kept.relative_to(ROOT)}"
        _vacuum_into(kept)
        _keep_listing(kept, migrations)
        return None, f"copied from {kept.relative_to(ROOT)}, migrated forward and kept again"
    _empty_sqlite(target)
    seconds = seed(scale, activity=True)
    for old in CACHE_DIR.glob(f"demo-{scale}-*"):
        old.unlink()
    _vacuum_into(kept)
    _keep_listing(kept, migrations)
    return seconds, f"seeded, kept as {kept.relative_to(ROOT)}"


def _copy_sqlite(kept: Path, target: Path) -> None:
    from django.db import connections

    connections.close_all()
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(kept, target)


def _vacuum_into(kept: Path) -> None:
    from django.db import connection

    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    kept.unlink(missing_ok=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(kept)])


def _migrate_forward() -> bool:
    """Apply the migrations the copy lacks; True when there were any. Migrate runs either
    way: after it, the statistics layer puts back the triggers the code now keeps (tallies,
    versions), which are not migrations."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    missing = bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    call_command("migrate", verbosity=0)
    return missing


def _empty_sqlite(target: Path) -> None:
    """A new, migrated database in place of this benchmark's (it may hold another scale)."""
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)


def _cached_postgres(scale: str, key: str) -> tuple[float | None, str]:
    import psycopg
    from django.db import connection, connections
    from psycopg import sql

    params = connection.settings_dict
    current = params["NAME"]
    # DATABASE_URL names this benchmark's own database now (see _fresh_postgres_database);
    # the kept one is named after the database it was derived from, as that one is.
    owner = str(current).rsplit("_bench_", 1)[0]
    kept = f"{owner}_benchkeep_{key.replace('-', '_')}"
    listing = CACHE_DIR / f"{kept}.json"
    admin_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"

    def copy(source: str, into: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(into))
            )
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(into), sql.Identifier(source)
                )
            )

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [kept]).fetchone()
    connections.close_all()
    migrations = migration_digests()
    if exists and _forward_only(listing):
        copy(kept, current)
        if not _migrate_forward():
            return None, f"copied from the template database {kept}"
        connections.close_all()
        copy(current, kept)
        _keep_listing(listing, migrations)
        return None, f"copied from the template database {kept}, migrated forward and kept again"
    # A new, migrated database in place of this benchmark's (it may hold another scale).
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(current)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(current)))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seconds = seed(scale, activity=True)
    connections.close_all()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        stale = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            [f"{owner}_benchkeep_{scale}_%"],
        ).fetchall()
        for (name,) in stale:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
    copy(current, kept)
    _keep_listing(listing, migrations)
    return seconds, f"seeded, kept as the template database {kept}"
