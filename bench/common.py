"""What every benchmark shares: its own fresh database, timing, and the figure-beside-budget line.

Each benchmark runs in its own process (see run.py) with its own database: a SQLite file in a
temporary directory, or, when DATABASE_URL is set, a fresh PostgreSQL database created beside
the one it names and dropped afterwards.
"""

from __future__ import annotations

import contextlib
import math
import os
import secrets
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator

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

    base = url.rsplit("/", 1)[0]
    db_name = f"anjian_bench_{name}"
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


def seed(scale: str) -> float:
    """Load the demo zone at `scale`; return the wall time in seconds."""
    import io

    from django.core.management import call_command

    with stopwatch() as t:
        call_command("seed_demo", scale=scale, stdout=io.StringIO())
    return t[0]
