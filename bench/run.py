"""Run the benchmarks; each prints its figure beside its budget (MISSED when over).

    .venv/bin/python bench/run.py                       # all of them (`make bench`)
    .venv/bin/python bench/run.py --only api --scale zone
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anjian .venv/bin/python bench/run.py

Every benchmark runs in a process of its own with a database of its own (a SQLite file in a
temporary directory, or, when DATABASE_URL is set, a fresh PostgreSQL database named after
the one it names: `<name>_bench_<benchmark>`). These are measurements, not tests: the exit
status is 0 even when a budget is missed.

`ledger` and `patrol` read the demo with its year of activity; the city-scale one takes minutes
to seed, so it is built once and kept under var/bench/ (a SQLite file, or a PostgreSQL template
database `<name>_benchkeep_<scale>_<key>`), keyed by the demo loader's code and the
migrations: a change to either builds it again on the next run (common.cached_seed).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# name -> (module, default scale, what it measures)
BENCHMARKS = {
    "seed": ("bench.seeding", "zone", "seed_demo wall time"),
    "import": ("bench.importing", "zone", "2,500-row registry import, preview + commit"),
    "api": ("bench.api", "city", "GET /api/v1/enterprises p95 at city scale, vs raw SQL and bare"),
    "ledger-export": ("bench.ledger_export", "zone", "ledger xlsx/JSON export: constant memory"),
    "ledger-export-time": (
        "bench.ledger_export_time",
        "city",
        "a 20,000-row xlsx ledger export at city scale, p50/p95 against 2 s",
    ),
    "ledger": (
        "bench.ledger",
        "city",
        "GET /api/v1/hazards p95, zone and city, vs raw SQL and bare",
    ),
    "ledger-http": (
        "bench.ledger_http",
        "city",
        "GET /api/v1/hazards over HTTP (gunicorn), p95 with 1 client and 4 concurrent",
    ),
    "home": (
        "bench.home",
        "city",
        "each role's home for the year p95 vs raw SQL; the ledger's total and quick counts",
    ),
    "pages": (
        "bench.pages",
        "city",
        "each list page p95 beside its API for the same rows, in-process",
    ),
    "patrol": ("bench.patrol", "zone", "POST /api/v1/visits: a patrol with 3 hazards, p95"),
    "hazard-import": (
        "bench.hazard_import",
        "zone",
        "hazard ledger import 5k/20k/50k rows, memory, ledger API p95 while importing",
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=list(BENCHMARKS), help="run one benchmark")
    parser.add_argument("--scale", choices=["zone", "city", "province"], help="demo scale")
    parser.add_argument("--requests", type=int, default=240, help="requests per kind (api)")
    parser.add_argument("--child", choices=list(BENCHMARKS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return run_here(args.child, args.scale, args.requests)
    names = [args.only] if args.only else list(BENCHMARKS)
    missed = []
    for name in names:
        _module, default_scale, title = BENCHMARKS[name]
        print(f"== {name}: {title}", flush=True)
        started = time.monotonic()
        command = [sys.executable, __file__, "--child", name, "--requests", str(args.requests)]
        command += ["--scale", args.scale or default_scale]
        result = subprocess.run(command, cwd=ROOT, env=os.environ.copy(), check=False)
        if result.returncode:
            missed.append(name)
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
    if missed:
        print(f"MISSED or failed budgets in: {', '.join(missed)}")
    return 0


def run_here(name: str, scale: str, requests: int) -> int:
    from importlib import import_module

    from bench import common

    module_name, default_scale, _title = BENCHMARKS[name]
    common.prepare_django(name)
    try:
        module = import_module(module_name)
        kwargs = {"requests": requests} if name in ("api", "patrol") else {}
        ok = module.run(scale=scale or default_scale, **kwargs)
    finally:
        common.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
