"""Each list page beside the API returning the same rows, at city scale (issue 10, items 1, 4).

The city demo with its activity (common.cached_seed, kept under var/bench/). Measured
in-process with django.test.Client, signed in as the zone admin and as an office's officer,
each page and its API round-robin in one loop so the two share the machine's noise
(PERFORMANCE.md): the page as a person opens it (no filter chosen: the newest 50), and the
API with the same filters and what the page shows beside its rows (the registry's and
coverage's counts). Pages with no API of their own (people, audit) are timed alone.

Budgets: page p95 ≤ 20 ms in-process and ≤ 1.5× its API's p95.

Not yet here (issue 10, item 4): a bare Django view per page, HTTP through gunicorn with 1 and
4 clients, zone scale, the first page after a 20,000-row import, the admin changelist.
"""

from __future__ import annotations

import logging
import time

from bench.common import cached_seed, engine, get_ok, median, note, p95, report

BUDGET_PAGE_MS = 20.0
BUDGET_OVER_API = 1.5
ROUNDS = 40
PERSONAS = ["demo-admin", "demo-officer"]
# name -> (page, its API or None, the API's parameters for the page's rows)
PAGES: dict[str, tuple[str, str | None, dict[str, str]]] = {
    "ledger": ("/hazards/", "/api/v1/hazards", {}),
    "registry": ("/enterprises/", "/api/v1/enterprises", {"with_count": "true"}),
    "visits": ("/field/visits/", "/api/v1/visits", {}),
    "notices": ("/notices/", "/api/v1/notices", {}),
    "coverage": (
        "/fieldwork/coverage/",
        "/api/v1/coverage",
        {"state": "unvisited", "with_count": "true"},
    ),
    "draws": ("/fieldwork/draws/", "/api/v1/draws", {}),
    "people": ("/accounts/people/", None, {}),
    "audit": ("/audit/", None, {}),
}


def run(scale: str = "city") -> bool:
    from django.test import Client

    from anjian.accounts.models import User
    from anjian.lib.startup import settle
    from anjian.statistics.versions import prune

    seconds, how = cached_seed(scale)
    note(f"{scale}: {how}" + (f" in {seconds:.0f} s" if seconds is not None else ""))
    prune()
    settle()
    ok = True
    for name in PERSONAS:
        client = Client()
        client.force_login(User.objects.get(username=name))
        # The pages this role opens (Django logs each refusal: quiet while asking).
        request_log = logging.getLogger("django.request")
        level = request_log.level
        request_log.setLevel(logging.ERROR)
        try:
            opened = {
                page: kind for page, kind in PAGES.items() if client.get(kind[0]).status_code == 200
            }
        finally:
            request_log.setLevel(level)
        samples: dict[str, dict[str, list[float]]] = {p: {"page": [], "api": []} for p in opened}
        for url, api, params in opened.values():  # warm
            get_ok(client, url, {})
            if api:
                get_ok(client, api, params)
        for _round in range(ROUNDS):
            for page, (url, api, params) in opened.items():
                for kind, target, query in (("page", url, {}), ("api", api, params)):
                    if target is None:
                        continue
                    started = time.perf_counter()
                    get_ok(client, target, query)
                    samples[page][kind].append((time.perf_counter() - started) * 1000)
        where = f"{scale}, {engine()}, {name}"
        for page, (url, api, _params) in opened.items():
            got, api_ms = samples[page]["page"], samples[page]["api"]
            ok &= report(
                f"{page} page {url} p95 ({where})",
                p95(got),
                BUDGET_PAGE_MS,
                "ms",
                f"median {median(got):.1f} ms",
            )
            if api_ms:
                ratio = p95(got) / p95(api_ms)
                within = ratio <= BUDGET_OVER_API
                ok &= within
                note(
                    f"  its API {api} p95 {p95(api_ms):.1f} ms; page / API {ratio:.2f}× "
                    f"(budget {BUDGET_OVER_API:g}×: {'ok' if within else 'MISSED'})"
                )
        skipped = sorted(set(PAGES) - set(opened))
        if skipped:
            note(f"  not opened by {name}: {', '.join(skipped)}")
    return ok
