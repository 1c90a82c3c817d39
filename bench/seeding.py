"""`seed_demo` wall time with its year of field work and hazards: zone ≤ 60 s (issue 3, item
12); city scale (×20, ~730,000 hazards with this year to date) ≤ 90 s (issue 10, item 5, which
replaced issue 3's 10 minutes: every benchmark's demo must be rebuildable on a fresh machine).

The registry alone is timed too (`--no-activity`, PERFORMANCE.md: zone ≤ 20 s, city ≤ 90 s),
in a second database of its own, so the activity's share is plain.
"""

from __future__ import annotations

import io
import re

from bench.common import engine, note, report, seed

BUDGET_S = {"zone": 60.0, "city": 90.0}
BUDGET_REGISTRY_S = {"zone": 20.0, "city": 90.0}


def run(scale: str = "zone") -> bool:
    from anjian.enterprises.models import Enterprise
    from anjian.fieldwork.models import Visit
    from anjian.hazards.models import Hazard, HazardEvent

    out = io.StringIO()
    seconds = seed(scale, activity=True, out=out)
    ok = report(
        f"seed_demo --scale {scale}, with its year ({engine()})",
        seconds,
        BUDGET_S.get(scale),
        "s",
    )
    note(
        f"{Enterprise.objects.count():,} enterprises, {Visit.objects.count():,} visits, "
        f"{Hazard.objects.count():,} hazards, {HazardEvent.objects.count():,} events"
    )
    for line in out.getvalue().splitlines():
        if re.match(r"\s+(\d[\d,]* visits \(|\d{4}: )", line):
            note(line.strip())
    _empty()
    registry = seed(scale)
    ok &= report(
        f"seed_demo --scale {scale} --no-activity ({engine()})",
        registry,
        BUDGET_REGISTRY_S.get(scale),
        "s",
    )
    return ok


def _empty() -> None:
    """Start again from an empty database (the registry alone is timed from scratch)."""
    from django.core.management import call_command

    call_command("flush", "--no-input", verbosity=0)
