"""`seed_demo` wall time: zone scale ≤ 20 s, city scale ≤ 90 s (PERFORMANCE.md)."""

from __future__ import annotations

from bench.common import engine, note, report, seed

BUDGET_S = {"zone": 20.0, "city": 90.0}


def run(scale: str = "zone") -> bool:
    from anjian.enterprises.models import Enterprise

    seconds = seed(scale)
    ok = report(f"seed_demo --scale {scale} ({engine()})", seconds, BUDGET_S.get(scale), "s")
    note(f"{Enterprise.objects.count():,} enterprises loaded")
    return ok
