"""GET /api/v1/enterprises with two filters and free text, at city scale (50,000 enterprises).

Measured in-process with django.test.Client as the zone admin, round-robin in one loop so the
figures share the machine's noise (PERFORMANCE.md):

- the API (session auth, and once more with a bearer token);
- the same SQL the API ran (captured with an execute wrapper), replayed with cursor.execute +
  fetchall: the database's share;
- a bare Django view returning the same rows through `.values()` and JsonResponse: Django's
  share, so API − raw and API / bare show what the API layer adds;
- the registry list page (HTML, with its count) for the same filters.

The search terms are fragments of seeded names: 2-character words, which SQLite's trigram
index could not serve, and 3+ character ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from bench.common import (
    capture_sql,
    engine,
    explain,
    get_ok,
    median,
    note,
    p95,
    replay,
    report,
    report_api,
    seed,
    timed,
)

BUDGET_SEED_S = {"zone": 20.0, "city": 90.0}
# PERFORMANCE.md: registry pages at city scale p95 ≤ 20 ms in-process with one client; the
# issue's 50 ms is the ceiling with 4 concurrent clients.
BUDGET_IN_PROCESS_MS = 20.0
BUDGET_CEILING_MS = 50.0
BUDGET_OVER_RAW_MS = 5.0
BUDGET_OVER_BARE = 1.5
BUDGET_SEARCH_MS = {"2-char": 200.0, "3+ char": 50.0}

TERMS_2 = ["机械", "五金", "电子", "模具", "化工", "包装", "宏达", "纬三"]
TERMS_3 = ["金属制品", "新材料", "不锈钢", "钢结构", "医疗器械", "环保科技", "恒泰五金", "工业大道"]
SECTORS = ["machinery", "light_industry", "commerce", "textile", "building_materials"]
API_URL = "/api/v1/enterprises"
BARE_URL = "/bench/enterprises"
PAGE_URL = "/enterprises/"


@dataclass
class Query:
    params: dict[str, Any]
    sql: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def term_kind(self) -> str:
        return "2-char" if len(self.params["q"]) == 2 else "3+ char"


def _queries(rng: random.Random, offices: list[int], n: int) -> list[Query]:
    terms = TERMS_2 + TERMS_3
    return [
        Query(
            {
                "office": rng.choice(offices),
                "sector": rng.choice(SECTORS),
                "q": terms[i % len(terms)],
            }
        )
        for i in range(n)
    ]


def run(scale: str = "city", requests: int = 240) -> bool:
    from django.conf import settings
    from django.test import Client

    from anjian.accounts.models import User
    from anjian.accounts.services import issue_token
    from anjian.enterprises.models import Enterprise
    from anjian.regions.models import Region, RegionLevel

    seconds = seed(scale)
    ok = report(f"seed_demo --scale {scale} ({engine()})", seconds, BUDGET_SEED_S[scale], "s")
    settings.ROOT_URLCONF = "bench.urls"
    admin = User.objects.get(username="demo-admin")
    total = Enterprise.objects.count()
    offices = list(Region.objects.filter(level=RegionLevel.OFFICE).values_list("id", flat=True))
    note(f"{total:,} enterprises in {len(offices)} offices; {requests} requests of each kind")

    session = Client()
    session.force_login(admin)
    bearer = Client(headers={"Authorization": f"Bearer {issue_token(admin)[1]}"})

    rng = random.Random(7)
    queries = _queries(rng, offices, requests)
    for q in queries:  # warm up every path, and capture each query's SQL
        q.sql = capture_sql(
            lambda q=q: get_ok(session, API_URL, q.params), '"enterprises_enterprise'
        )
        get_ok(session, BARE_URL, q.params)
    matches = [len(get_ok(session, API_URL, q.params).json()["items"]) for q in queries[:40]]

    times: dict[str, list[float]] = {k: [] for k in ("api", "raw", "bare", "bearer", "page")}
    by_kind: dict[str, list[float]] = {"2-char": [], "3+ char": []}
    for q in queries:
        api_ms = timed(lambda q=q: get_ok(session, API_URL, q.params))
        times["api"].append(api_ms)
        by_kind[q.term_kind].append(api_ms)
        times["raw"].append(timed(lambda q=q: replay(q.sql)))
        times["bare"].append(timed(lambda q=q: get_ok(session, BARE_URL, q.params)))
        times["bearer"].append(timed(lambda q=q: get_ok(bearer, API_URL, q.params)))
        times["page"].append(timed(lambda q=q: get_ok(session, PAGE_URL, q.params)))

    api, raw, bare = p95(times["api"]), p95(times["raw"]), p95(times["bare"])
    where = f"{scale}, {engine()}, office+sector+q, limit 50"
    ok &= report_api(
        f"GET {API_URL} p95 ({where})",
        api,
        raw,
        bare,
        BUDGET_IN_PROCESS_MS,
        "in-process budget; issue ceiling",
        BUDGET_CEILING_MS,
    )
    ok &= report("  API − raw", api - raw, BUDGET_OVER_RAW_MS, "ms")
    ok &= report("  API / bare", api / bare, BUDGET_OVER_BARE, "×", fmt=".2f")
    report("  API with a bearer token p95", p95(times["bearer"]), BUDGET_IN_PROCESS_MS, "ms")
    for kind, samples in by_kind.items():
        report(f"  API p95, {kind} terms", p95(samples), None, "ms")
    ok &= report(
        f"GET {PAGE_URL} p95 (HTML, with count, same filters)",
        p95(times["page"]),
        BUDGET_IN_PROCESS_MS,
        "ms",
    )
    note(f"rows per page in the first 40 queries: min {min(matches)}, max {max(matches)}")
    ok &= _zone_wide_search(session)
    for line in explain(*queries[0].sql[0]):
        note(f"plan: {line}")
    return ok


def _zone_wide_search(session: Any) -> bool:
    """Free text alone over the whole zone: the search budgets of PERFORMANCE.md."""
    ok = True
    for kind, terms in (("2-char", TERMS_2), ("3+ char", TERMS_3)):
        samples: dict[str, list[float]] = {t: [] for t in terms}
        counted: list[float] = []
        for _round in range(5):
            for term in terms:
                samples[term].append(timed(lambda t=term: get_ok(session, API_URL, {"q": t})))
                counted.append(
                    timed(lambda t=term: get_ok(session, API_URL, {"q": t, "with_count": "true"}))
                )
        slowest = max(terms, key=lambda t: median(samples[t]))
        ok &= report(
            f"GET {API_URL}?q= p95 (whole zone, {kind} terms)",
            p95([ms for runs in samples.values() for ms in runs]),
            BUDGET_SEARCH_MS[kind],
            "ms",
            f"slowest term “{slowest}”: median {median(samples[slowest]):.0f} ms",
        )
        report(f"  same with with_count=true, {kind} terms", p95(counted), None, "ms")
    return ok
