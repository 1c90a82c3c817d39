"""GET /api/v1/hazards, the ledger, over HTTP: one client, then 4 concurrent (issue 3, item 15).

bench/ledger.py measures the ledger in-process (django.test.Client). This one measures what a
browser or a device sees: a real server process on a free localhost port, serving the kept
city demo (common.cached_seed: copied in seconds, never reseeded here), requests authenticated
with a bearer token (issued with the accounts service, as `POST /api/v1/auth/token` does), the
common filters of ledger._queries (the same mix, the same seed), timed from the request sent
to the last byte of the body read, on keep-alive connections (http.client).

- one client: every query in turn, p95 against PERFORMANCE.md's 30 ms over HTTP;
- 4 concurrent clients: 4 threads, each with its own keep-alive connection, each running the
  whole mix in an order of its own, started together; p95 of all their requests against the
  issues' 50 ms ceiling. Throughput is printed beside it.

The load average is printed before and after: the machine (2 cores) is shared, and the client
threads run on it too, so a figure read on a loaded machine says so.

The server is gunicorn (pinned in pyproject.toml), not `manage.py runserver`: runserver is
Django's development server (its docs: not for production), and threaded runserver is one
process, so Python's GIL serialises the 4 clients' requests onto one core — it would measure
a server nobody deploys. gunicorn is a production WSGI server, a pure-Python wheel with no
dependencies. Its `gthread` worker keeps keep-alive connections open (the default `sync`
worker closes every connection after one response) and hands requests to a thread pool:
WORKERS processes (one per core) × THREADS threads. Its own output is kept to warnings, into a
log file printed only when the server fails; the server is always stopped (try/finally),
workers with it.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode

from bench.common import cached_seed, engine, median, note, p95, report
from bench.ledger import API_URL, Query, _queries

BUDGET_ONE_CLIENT_MS = 30.0
BUDGET_CONCURRENT_MS = 50.0
CLIENTS = 4
ROUNDS = 5  # the 108-query mix, 5 times: 540 samples for one client, 2,160 for four
WORKERS = os.cpu_count() or 2
THREADS = 4
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: IO[bytes]

    def log_tail(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-3000:]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(app: str = "config.wsgi:application") -> Iterator[Server]:
    """gunicorn serving `app` on a free localhost port with this benchmark's settings (its
    database is the one DATABASE_URL / ANJIAN_VAR_DIR name, set by common.prepare_django);
    stopped after. `bench.wsgi:application` adds the benchmarks' yardsticks (bench/urls.py)."""
    from django.db import connections

    connections.close_all()  # the server's processes open their own
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        f"--bind=127.0.0.1:{port}",
        f"--workers={WORKERS}",
        "--worker-class=gthread",
        f"--threads={THREADS}",
        "--keep-alive=60",
        "--log-level=warning",
    ]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=os.environ.copy(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped whole below
        )
        try:
            yield Server(port, process, log)
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to gunicorn (which stops its workers gracefully), SIGKILL to the group if it
    is still there after 15 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # a worker left behind, if any


class Connection:
    """One client: a keep-alive connection; `get` times a request to the last byte read."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, params: dict[str, Any], token: str) -> float:
        url = f"{API_URL}?{urlencode(params)}" if params else API_URL
        return self.fetch(url, {"Authorization": f"Bearer {token}"})

    def fetch(self, url: str, headers: dict[str, str]) -> float:
        """GET `url` (path and query) with `headers`; the milliseconds to its last byte."""
        started = time.perf_counter()
        self.conn.request("GET", url, headers=headers)
        response = self.conn.getresponse()
        body = response.read()
        ms = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status} {body[:300]!r}")
        if response.will_close:
            raise RuntimeError(f"{url}: the server closed the connection (no keep-alive)")
        return ms

    def close(self) -> None:
        self.conn.close()


def _wait_ready(server: Server, token: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{server.log_tail()}")
        try:
            client = Connection(server.port)
            try:
                client.get({"state": "open"}, token)
            finally:
                client.close()
            return
        except (ConnectionError, OSError, http.client.HTTPException):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer:\n{server.log_tail()}") from None
            time.sleep(0.3)


@dataclass
class Figures:
    one: dict[str, list[float]] = field(default_factory=dict)
    many: dict[str, list[float]] = field(default_factory=dict)
    many_seconds: float = 0.0
    load: list[tuple[str, tuple[float, float, float]]] = field(default_factory=list)

    @staticmethod
    def all(which: dict[str, list[float]]) -> list[float]:
        return [ms for samples in which.values() for ms in samples]


def measure(server: Server, queries: list[Query], tokens: dict[str, str]) -> Figures:
    figures = Figures()
    figures.load.append(("before", os.getloadavg()))
    one = Connection(server.port)
    try:
        for q in queries:  # warm every worker's path and the database's page cache up
            one.get(q.params, tokens[q.who])
        for _round in range(ROUNDS):
            for q in queries:
                figures.one.setdefault(q.kind, []).append(one.get(q.params, tokens[q.who]))
    finally:
        one.close()
    figures.load.append(("after one client", os.getloadavg()))

    results: list[list[tuple[str, float]]] = [[] for _ in range(CLIENTS)]
    mixes = [list(queries) for _ in range(CLIENTS)]
    for i, mix in enumerate(mixes):
        random.Random(100 + i).shuffle(mix)

    def warm(conn: Connection, i: int) -> None:
        conn.get(mixes[i][0].params, tokens[mixes[i][0].who])

    def work(conn: Connection, i: int) -> None:
        for _round in range(ROUNDS):
            for q in mixes[i]:
                results[i].append((q.kind, conn.get(q.params, tokens[q.who])))

    figures.many_seconds = at_once(server, warm, work)
    for samples in results:
        for kind, ms in samples:
            figures.many.setdefault(kind, []).append(ms)
    figures.load.append((f"after {CLIENTS} clients", os.getloadavg()))
    return figures


def at_once(
    server: Server,
    warm: Callable[[Connection, int], None],
    work: Callable[[Connection, int], None],
) -> float:
    """CLIENTS threads, each with a keep-alive connection of its own: `warm(conn, i)` (the
    connection made) before they start together, then `work(conn, i)`. The seconds from the
    start to the last one done; a client that fails is raised here, with the server's log."""
    start = threading.Barrier(CLIENTS + 1)
    errors: list[BaseException] = []

    def client(i: int) -> None:
        conn = Connection(server.port)
        try:
            warm(conn, i)
            start.wait()
            work(conn, i)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
            start.abort()
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    with contextlib.suppress(threading.BrokenBarrierError):
        start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - began
    if errors:
        raise RuntimeError(f"a client failed: {errors[0]!r}\n{server.log_tail()}")
    return seconds


def run(scale: str = "city") -> bool:
    from django.utils import timezone

    from anjian.accounts.models import User
    from anjian.accounts.services import issue_token
    from anjian.hazards.models import Hazard
    from anjian.regions.models import Region, RegionLevel

    seconds, how = cached_seed(scale)
    note(f"{scale}: {how}" + (f" in {seconds:.0f} s" if seconds is not None else ""))
    tokens = {
        who: issue_token(User.objects.get(username=username), name="bench")[1]
        for who, username in (("admin", "demo-admin"), ("officer", "demo-officer"))
    }
    offices = list(Region.objects.filter(level=RegionLevel.OFFICE).values_list("id", flat=True))
    queries = _queries(random.Random(7), offices, timezone.localdate())
    hazards = Hazard.objects.count()
    note(f"{scale}: {hazards:,} hazards; gunicorn gthread, {WORKERS} workers × {THREADS} threads")
    with serving() as server:
        _wait_ready(server, tokens["admin"])
        figures = measure(server, queries, tokens)
    return _report(scale, figures)


def _report(scale: str, f: Figures) -> bool:
    where = f"{scale}, {engine()}, limit 50, bearer token, keep-alive"
    for kind, samples in f.one.items():
        many = f.many[kind]
        print(
            f"  {kind}: 1 client p95 {p95(samples):.1f} (median {median(samples):.1f}) / "
            f"{CLIENTS} clients p95 {p95(many):.1f} (median {median(many):.1f}) ms",
            flush=True,
        )
    one, many = Figures.all(f.one), Figures.all(f.many)
    ok = report(
        f"GET {API_URL} over HTTP p95, one client ({where})", p95(one), BUDGET_ONE_CLIENT_MS, "ms"
    )
    worst = max(f.one, key=lambda k: p95(f.one[k]))
    report(f"  slowest filter ({worst}) p95", p95(f.one[worst]), None, "ms")
    ok &= report(
        f"GET {API_URL} over HTTP p95, {CLIENTS} concurrent clients ({where})",
        p95(many),
        BUDGET_CONCURRENT_MS,
        "ms",
        f"{len(many) / f.many_seconds:.0f} requests/s, {len(many):,} requests",
    )
    worst = max(f.many, key=lambda k: p95(f.many[k]))
    report(f"  slowest filter ({worst}) p95", p95(f.many[worst]), None, "ms")
    for when, (one_min, five, fifteen) in f.load:
        note(
            f"load average {when}: {one_min:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"
        )
    return ok
