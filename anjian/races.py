"""Helpers for race tests: jobs run in threads, each on its own database connection.

Shared by the hazard acceptance / field submit races (test_concurrency) and the notice
numbering race (test_notices), so both play a race the same way.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

from anjian.accounts.models import Role, User
from anjian.enterprises.models import Enterprise
from anjian.regions.models import Grid, Region, RegionLevel
from anjian.test import make_enterprise, make_grid, make_region, make_user

# How long the first writer keeps its transaction open while the second tries.
HOLD = 0.3


def in_memory_sqlite() -> bool:
    db = connections["default"]
    return isinstance(db, DatabaseWrapper) and db.is_in_memory_db()


def run_together(*jobs: Callable[[], Any], timeout: float = 60) -> list[Any]:
    """Run the jobs in threads started together; each result is a value or the exception."""
    results: list[Any] = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def run(i: int, job: Callable[[], Any]) -> None:
        try:
            start.wait()
            results[i] = job()
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    return results


def first_holds_open(
    first: Callable[[], Any], second: Callable[[], Any]
) -> tuple[list[Any], float]:
    """Run `first` in a transaction kept open HOLD seconds after it wrote, and `second` as soon
    as the first has written. Returns both results and how long the second took."""
    written = threading.Event()
    took: list[float] = []

    def hold() -> Any:
        with transaction.atomic():
            result = first()
            written.set()
            time.sleep(HOLD)
        return result

    def then() -> Any:
        written.wait(5)
        started = time.monotonic()
        try:
            return second()
        finally:
            took.append(time.monotonic() - started)

    results = run_together(hold, then, timeout=30)
    return results, took[0]


@contextlib.contextmanager
def shared_database() -> Iterator[Callable[[Callable[[], Any]], Callable[[], Any]]]:
    """Wrap jobs so that threads write to one database through their own connections.

    PostgreSQL (or a file SQLite) is shared as it is. The in-memory SQLite test database is
    not: its threads share one cache, where a lock fails at once instead of waiting, which
    is not how the platform runs. So it is copied to a file, and each thread connects to the
    copy with the platform's own options (WAL, BEGIN IMMEDIATE, busy timeout).
    """
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):  # type: ignore[attr-defined]
        yield lambda job: job
        return
    folder = tempfile.mkdtemp(prefix="anjian-race-")
    path = os.path.join(folder, "race.sqlite3")
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    settings_dict = {**connection.settings_dict, "NAME": path}
    wrapper = type(connections["default"])

    def bind(job: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            connections["default"] = wrapper(settings_dict, "default")
            return job()

        return run

    try:
        yield bind
    finally:
        # What the threads wrote, copied back so the test reads it as usual.
        source = sqlite3.connect(path)
        source.backup(connection.connection)
        source.close()
        shutil.rmtree(folder, ignore_errors=True)


def race_office() -> tuple[Region, Grid, Enterprise, User, User]:
    """A zone with one office, one grid and its enterprise, and the office's two officers
    (li and ma) who race each other: (zone, grid, enterprise, li, ma)."""
    zone = make_region("示范区", RegionLevel.ZONE, code="01")
    office = make_region("东城办事处", RegionLevel.OFFICE, zone, code="01")
    village = make_region("杨桥村", RegionLevel.VILLAGE, office, code="001")
    grid = make_grid(village, "杨桥第一网格", "GA")
    enterprise = make_enterprise(grid, "杨桥精密机械有限公司")
    li = make_user("li", Role.OFFICER, region=office, certificate_no="执01")
    ma = make_user("ma", Role.OFFICER, region=office, certificate_no="执03")
    return zone, grid, enterprise, li, ma
