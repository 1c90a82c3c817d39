"""Each list page beside the API returning the same rows, at city scale (issue 10, items 1, 4).

The city demo with its activity (common.cached_seed, kept under var/bench/). Measured
in-process with django.test.Client, signed in as the zone admin and as an office's officer,
each page and its API round-robin in one loop so the two share the machine's noise
(PERFORMANCE.md): the page as a person opens it (no filter chosen: the newest 50), and the
API with the same filters and what the page shows beside its rows (the registry's and
coverage's counts). Pages with no API of their own (people, audit) are timed alone.

Then over HTTP (gunicorn, as bench/ledger_http.py serves it, keep-alive): the pages signed in
with a session cookie and their APIs with a bearer token, one client round-robin, then 4
clients at once on the pages.

Budgets: page p95 ≤ 20 ms in-process and ≤ 1.5× its API's p95; over HTTP ≤ 30 ms with one
client and ≤ 50 ms with 4 (PERFORMANCE.md).

Not yet here (issue 10, item 4): a bare Django view per page, zone scale, the first page after
a 20,000-row import, the admin changelist.
"""

from __future__ import annotations

import logging
import random
import time
from urllib.parse import urlencode

from bench.common import cached_seed, engine, get_ok, median, note, p95, report

BUDGET_PAGE_MS = 20.0
BUDGET_OVER_API = 1.5
BUDGET_HTTP_MS = 30.0
BUDGET_HTTP_CONCURRENT_MS = 50.0
ROUNDS = 40
HTTP_ROUNDS = 20
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
    opened_by: dict[str, dict[str, tuple[str, str | None, dict[str, str]]]] = {}
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
        opened_by[name] = opened
    return _over_http(scale, opened_by) and ok


def _over_http(
    scale: str, opened_by: dict[str, dict[str, tuple[str, str | None, dict[str, str]]]]
) -> bool:
    """The same pages and APIs through gunicorn: one client, then CLIENTS at once."""
    from django.conf import settings
    from django.test import Client

    from anjian.accounts.models import User
    from anjian.accounts.services import issue_token
    from bench.ledger_http import CLIENTS, Connection, _wait_ready, at_once, serving

    headers: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
    for name in opened_by:
        user = User.objects.get(username=name)
        client = Client()
        client.force_login(user)  # a session in the database, as a browser's sign-in leaves
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
        token = issue_token(user, name="bench")[1]
        headers[name] = ({"Cookie": cookie}, {"Authorization": f"Bearer {token}"})
    mix = [
        (name, page, url, f"{api}?{urlencode(params)}" if api and params else api)
        for name, opened in opened_by.items()
        for page, (url, api, params) in opened.items()
    ]
    one: dict[tuple[str, str], dict[str, list[float]]] = {}
    many: list[float] = []
    with serving() as server:
        _wait_ready(server, headers[PERSONAS[0]][1]["Authorization"].split()[1])
        conn = Connection(server.port)
        try:
            for name, _page, url, api in mix:  # warm each worker's path
                conn.fetch(url, headers[name][0])
                if api:
                    conn.fetch(api, headers[name][1])
            for _round in range(HTTP_ROUNDS):
                for name, page, url, api in mix:
                    got = one.setdefault((name, page), {"page": [], "api": []})
                    got["page"].append(conn.fetch(url, headers[name][0]))
                    if api:
                        got["api"].append(conn.fetch(api, headers[name][1]))
        finally:
            conn.close()
        orders = [list(mix) for _ in range(CLIENTS)]
        for i, order in enumerate(orders):
            random.Random(200 + i).shuffle(order)

        def warm(own: Connection, i: int) -> None:
            own.fetch(orders[i][0][2], headers[orders[i][0][0]][0])

        def work(own: Connection, i: int) -> None:
            for _round in range(HTTP_ROUNDS):
                for name, _page, url, _api in orders[i]:
                    many.append(own.fetch(url, headers[name][0]))

        seconds = at_once(server, warm, work)
    ok = True
    for (name, page), got in one.items():
        api_note = f"its API p95 {p95(got['api']):.1f} ms" if got["api"] else "no API"
        ok &= report(
            f"{page} page over HTTP, one client p95 ({scale}, {engine()}, {name})",
            p95(got["page"]),
            BUDGET_HTTP_MS,
            "ms",
            f"median {median(got['page']):.1f} ms; {api_note}",
        )
    ok &= report(
        f"every page over HTTP, {CLIENTS} clients at once p95 ({scale}, {engine()})",
        p95(many),
        BUDGET_HTTP_CONCURRENT_MS,
        "ms",
        f"{len(many) / seconds:.0f} pages/s",
    )
    return ok
