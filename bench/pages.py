"""Each list page beside the API and a bare Django view returning the same rows, and the
ledger beside the Django admin's changelist (issue 10, items 1, 2 and 4).

The demo with its activity at zone or city scale (common.cached_seed, kept under var/bench/).
Measured in-process with django.test.Client, signed in as the zone admin and as an office's
officer; for each page, the page as a person opens it (no filter chosen: the newest 50), its
API with the same filters and what the page shows beside its rows (the registry's, coverage's
and people's counts), and a bare Django view returning the same rows with nothing but the ORM
and JsonResponse (bench/urls.py), round-robin in one loop so the three share the machine's
noise (PERFORMANCE.md). People and audit have no API: page and bare view only.

Search (item 2): the ledger's and the registry's free text, 2-character and 3+ character
terms, over the whole area: the API's p95 is the search (≤ 15 ms), the page's is the page
with it (≤ the page budget). The ledger page does not wait for a search's counts unless
they are kept (statistics.ledger): what its panel then fetches is printed beside, the first
time each term is counted.

The reference a Django user would pick (item 4): the admin's changelist of the ledger,
registered in bench/urls.py only, signed in as a superuser of the zone: its first page and its
search beside the ledger page's.

Then over HTTP (gunicorn serving bench.wsgi, keep-alive): the pages and bare views signed in
with a session cookie, their APIs with a bearer token, the admin changelist with its own
session, one client round-robin; then 4 clients at once on the pages.

Budgets: page p95 ≤ 20 ms in-process and ≤ 1.5× its API's p95; over HTTP ≤ 30 ms with one
client and ≤ 50 ms with 4 (PERFORMANCE.md); search ≤ 15 ms in-process; the ledger page ≥ 5×
faster than the admin changelist and its search ≥ 10× (in-process and over HTTP). The bare
view has no budget: page / bare shows what the page layer costs over Django's least.

The first page right after a 20,000-row import, beside the same page after a manual ANALYZE,
is measured by bench/hazard_import.py (`--only hazard-import`), which imports into an empty
ledger.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bench.common import cached_seed, engine, get_ok, median, note, p95, report, timed

BUDGET_PAGE_MS = 20.0
BUDGET_OVER_API = 1.5
BUDGET_SEARCH_MS = 15.0
BUDGET_HTTP_MS = 30.0
BUDGET_HTTP_CONCURRENT_MS = 50.0
BUDGET_OVER_ADMIN = 5.0
BUDGET_SEARCH_OVER_ADMIN = 10.0
ROUNDS = 40
SEARCH_ROUNDS = 5
HTTP_ROUNDS = 20
PERSONAS = ["demo-admin", "demo-officer"]
ADMIN_URL = "/bench/admin/hazards/hazard/"
COUNTS_URL = "/hazards/counts/"


@dataclass(frozen=True)
class Page:
    url: str
    api: str | None  # None: the page has no API of its own
    bare: str
    params: dict[str, str]  # the API's and bare view's parameters for the page's rows


PAGES: dict[str, Page] = {
    "ledger": Page("/hazards/", "/api/v1/hazards", "/bench/hazards", {}),
    "registry": Page(
        "/enterprises/", "/api/v1/enterprises", "/bench/enterprises", {"with_count": "true"}
    ),
    "visits": Page("/field/visits/", "/api/v1/visits", "/bench/visits", {}),
    "notices": Page("/notices/", "/api/v1/notices", "/bench/notices", {}),
    "coverage": Page(
        "/fieldwork/coverage/",
        "/api/v1/coverage",
        "/bench/coverage",
        {"state": "unvisited", "with_count": "true"},
    ),
    "draws": Page("/fieldwork/draws/", "/api/v1/draws", "/bench/draws", {}),
    "people": Page("/accounts/people/", None, "/bench/people", {"with_count": "true"}),
    "audit": Page("/audit/", None, "/bench/audit", {}),
}
WAYS = ("page", "api", "bare")


def _terms() -> dict[str, dict[str, list[str]]]:
    """page name -> kind of term -> terms: fragments of the seeded texts and names."""
    from bench import api, ledger

    return {
        "ledger": {"2-char": ledger.TERMS_2, "3+ char": ledger.TERMS_3},
        "registry": {"2-char": api.TERMS_2, "3+ char": api.TERMS_3},
    }


def _target(page: Page, way: str) -> tuple[str | None, dict[str, str]]:
    if way == "page":
        return page.url, {}
    return (page.api if way == "api" else page.bare), page.params


def run(scale: str = "city") -> bool:
    from django.conf import settings
    from django.test import Client

    from anjian.accounts.models import User
    from anjian.lib.startup import settle
    from anjian.statistics.versions import prune

    seconds, how = cached_seed(scale)
    note(f"{scale}: {how}" + (f" in {seconds:.0f} s" if seconds is not None else ""))
    settings.ROOT_URLCONF = "bench.urls"
    prune()
    settle()
    ok = True
    opened_by: dict[str, dict[str, Page]] = {}
    for name in PERSONAS:
        client = Client()
        client.force_login(User.objects.get(username=name))
        opened = _opened(client)
        ok &= _in_process(client, opened, f"{scale}, {engine()}, {name}")
        opened_by[name] = opened
    admin_site = Client()
    admin_site.force_login(_site_superuser())
    ledger = Client()
    ledger.force_login(User.objects.get(username=PERSONAS[0]))
    ok &= _search(ledger, f"{scale}, {engine()}, {PERSONAS[0]}")
    ok &= _beside_admin(ledger, admin_site, f"{scale}, {engine()}")
    return _over_http(scale, opened_by) and ok


def _opened(client: Any) -> dict[str, Page]:
    """The pages this role opens (Django logs each refusal: quiet while asking)."""
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        return {name: p for name, p in PAGES.items() if client.get(p.url).status_code == 200}
    finally:
        request_log.setLevel(level)


def _in_process(client: Any, opened: dict[str, Page], where: str) -> bool:
    samples: dict[str, dict[str, list[float]]] = {p: {w: [] for w in WAYS} for p in opened}
    for page in opened.values():  # warm
        for way in WAYS:
            url, params = _target(page, way)
            if url:
                get_ok(client, url, params)
    for turn in range(ROUNDS):
        for name, page in opened.items():
            for i in range(len(WAYS)):  # each way first in turn: none always gets a warm cache
                way = WAYS[(turn + i) % len(WAYS)]
                url, params = _target(page, way)
                if url is None:
                    continue
                started = time.perf_counter()
                get_ok(client, url, params)
                samples[name][way].append((time.perf_counter() - started) * 1000)
    ok = True
    for name, page in opened.items():
        got, api_ms, bare_ms = (samples[name][w] for w in WAYS)
        ok &= report(
            f"{name} page {page.url} p95 ({where})",
            p95(got),
            BUDGET_PAGE_MS,
            "ms",
            f"median {median(got):.1f} ms",
        )
        line = f"  bare view p95 {p95(bare_ms):.1f} ms, page / bare {p95(got) / p95(bare_ms):.2f}×"
        if api_ms:
            ratio = p95(got) / p95(api_ms)
            within = ratio <= BUDGET_OVER_API
            ok &= within
            line += (
                f"; its API {page.api} p95 {p95(api_ms):.1f} ms, page / API {ratio:.2f}× "
                f"(budget {BUDGET_OVER_API:g}×: {'ok' if within else 'MISSED'})"
            )
        note(line)
    skipped = sorted(set(PAGES) - set(opened))
    if skipped:
        note(f"not opened here: {', '.join(skipped)}")
    return ok


def _search(client: Any, where: str) -> bool:
    """Free text over the whole area: each term through the API and the page, by turns."""
    ok = True
    for name, kinds in _terms().items():
        page = PAGES[name]
        assert page.api is not None
        for kind, terms in kinds.items():
            api_ms: list[float] = []
            page_ms: list[float] = []
            for term in terms:  # warm
                get_ok(client, page.api, {"q": term})
            if name == "ledger":
                _deferred_counts(client, terms, f"{kind} terms; {where}")
            for turn in range(SEARCH_ROUNDS):
                for term in terms:
                    ways = [(api_ms, page.api), (page_ms, page.url)]
                    for into, url in ways[turn % 2 :] + ways[: turn % 2]:
                        started = time.perf_counter()
                        get_ok(client, url, {"q": term})
                        into.append((time.perf_counter() - started) * 1000)
            ok &= report(
                f"{name} search {page.api}?q= p95 ({kind} terms; {where})",
                p95(api_ms),
                BUDGET_SEARCH_MS,
                "ms",
                f"median {median(api_ms):.1f} ms",
            )
            ok &= report(
                f"  the page with it, {page.url}?q= p95",
                p95(page_ms),
                BUDGET_PAGE_MS,
                "ms",
                f"median {median(page_ms):.1f} ms",
            )
    return ok


def _deferred_counts(client: Any, terms: list[str], where: str) -> None:
    """What the ledger page does not wait for: a search's counts, counted afresh (the first
    time each term is searched), fetched by the page's panel after it has loaded."""
    times = [timed(lambda t=term: get_ok(client, COUNTS_URL, {"q": t})) for term in terms]
    report(
        f"  its counts, fetched after the page, each term's first time ({where})",
        max(times),
        None,
        "ms",
        f"median {median(times):.0f} ms; the page itself does not wait for them",
    )


def _site_superuser() -> Any:
    """A superuser of the zone for the admin site (made in this benchmark's copy of the demo)."""
    from anjian.accounts.models import User

    model = User.objects.get(username=PERSONAS[0])
    user, _created = User.objects.update_or_create(
        username="bench-django-admin",
        defaults={
            "role": model.role,
            "region": model.region,
            "is_staff": True,
            "is_superuser": True,
        },
    )
    return user


def _admin_pairs() -> list[tuple[str, dict[str, str]]]:
    """(kind, parameters) of the comparison, the same for both: the first page, then each
    ledger search term."""
    pairs: list[tuple[str, dict[str, str]]] = [("first page", {})]
    for kind, terms in _terms()["ledger"].items():
        pairs += [(f"search, {kind} terms", {"q": t}) for t in terms]
    return pairs


def _beside_admin(ours: Any, admin_site: Any, where: str) -> bool:
    """The ledger page and the admin changelist for the same rows, by turns."""
    times: dict[tuple[str, str], list[float]] = {}
    for _kind, params in _admin_pairs():  # warm
        get_ok(ours, PAGES["ledger"].url, params)
        get_ok(admin_site, ADMIN_URL, params)
    for turn in range(SEARCH_ROUNDS):
        for kind, params in _admin_pairs():
            ways = [("ours", ours, PAGES["ledger"].url), ("admin", admin_site, ADMIN_URL)]
            for who, client, url in ways[turn % 2 :] + ways[: turn % 2]:
                started = time.perf_counter()
                get_ok(client, url, params)
                times.setdefault((kind, who), []).append((time.perf_counter() - started) * 1000)
    return _report_admin(times, f"in-process, {where}")


def _report_admin(times: dict[tuple[str, str], list[float]], where: str) -> bool:
    ok = True
    for kind in dict.fromkeys(k for k, _who in times):
        ours, theirs = p95(times[(kind, "ours")]), p95(times[(kind, "admin")])
        budget = BUDGET_OVER_ADMIN if kind == "first page" else BUDGET_SEARCH_OVER_ADMIN
        # A "this many times faster" budget: the ratio must reach it.
        within = theirs / ours >= budget
        verdict = "ok" if within else "MISSED"
        print(
            f"admin changelist p95 / ledger page p95, {kind} ({where}): {theirs / ours:.1f}× "
            f"(budget ≥ {budget:g}×) {verdict}  [admin {theirs:.1f} ms, ours {ours:.1f} ms]",
            flush=True,
        )
        ok &= within
    return ok


def _over_http(scale: str, opened_by: dict[str, dict[str, Page]]) -> bool:
    """The same pages, bare views and APIs through gunicorn: one client, then CLIENTS at once
    on the pages; the ledger beside the admin changelist."""
    from django.conf import settings
    from django.test import Client

    from anjian.accounts.models import User
    from anjian.accounts.services import issue_token
    from bench.ledger_http import CLIENTS, Connection, _wait_ready, at_once, serving

    def cookie(user: Any) -> dict[str, str]:
        client = Client()
        client.force_login(user)  # a session in the database, as a browser's sign-in leaves
        value = client.cookies[settings.SESSION_COOKIE_NAME].value
        return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={value}"}

    headers: dict[str, dict[str, dict[str, str]]] = {}
    for name in opened_by:
        user = User.objects.get(username=name)
        token = issue_token(user, name="bench")[1]
        session = cookie(user)
        headers[name] = {
            "page": session,
            "bare": session,
            "api": {"Authorization": f"Bearer {token}"},
        }
    admin_headers = cookie(_site_superuser())

    def with_query(url: str, params: dict[str, str]) -> str:
        return f"{url}?{urlencode(params)}" if params else url

    mix = [
        (name, page_name, way, with_query(url, params))
        for name, opened in opened_by.items()
        for page_name, page in opened.items()
        for way in WAYS
        for url, params in [_target(page, way)]
        if url
    ]
    one: dict[tuple[str, str, str], list[float]] = {}
    many: list[float] = []
    admin_times: dict[tuple[str, str], list[float]] = {}
    ours_headers = headers[PERSONAS[0]]["page"]
    with serving("bench.wsgi:application") as server:
        _wait_ready(server, headers[PERSONAS[0]]["api"]["Authorization"].split()[1])
        conn = Connection(server.port)
        try:
            for name, _page, way, url in mix:  # warm each worker's path
                conn.fetch(url, headers[name][way])
            for _round in range(HTTP_ROUNDS):
                for name, page, way, url in mix:
                    one.setdefault((name, page, way), []).append(
                        conn.fetch(url, headers[name][way])
                    )
            for _kind, params in _admin_pairs():  # warm
                conn.fetch(with_query(ADMIN_URL, params), admin_headers)
            for turn in range(SEARCH_ROUNDS):
                for kind, params in _admin_pairs():
                    ways = [
                        ("ours", PAGES["ledger"].url, ours_headers),
                        ("admin", ADMIN_URL, admin_headers),
                    ]
                    for who, url, sent in ways[turn % 2 :] + ways[: turn % 2]:
                        admin_times.setdefault((kind, who), []).append(
                            conn.fetch(with_query(url, params), sent)
                        )
        finally:
            conn.close()
        pages = [m for m in mix if m[2] == "page"]
        orders = [list(pages) for _ in range(CLIENTS)]
        for i, order in enumerate(orders):
            random.Random(200 + i).shuffle(order)

        def warm(own: Connection, i: int) -> None:
            name, _page, way, url = orders[i][0]
            own.fetch(url, headers[name][way])

        def work(own: Connection, i: int) -> None:
            for _round in range(HTTP_ROUNDS):
                for name, _page, way, url in orders[i]:
                    many.append(own.fetch(url, headers[name][way]))

        seconds = at_once(server, warm, work)
    ok = True
    for (name, page, way), got in one.items():
        if way != "page":
            continue
        api = one.get((name, page, "api"))
        beside = f"its API p95 {p95(api):.1f} ms" if api else "no API"
        beside += f"; bare view p95 {p95(one[(name, page, 'bare')]):.1f} ms"
        ok &= report(
            f"{page} page over HTTP, one client p95 ({scale}, {engine()}, {name})",
            p95(got),
            BUDGET_HTTP_MS,
            "ms",
            f"median {median(got):.1f} ms; {beside}",
        )
    ok &= report(
        f"every page over HTTP, {CLIENTS} clients at once p95 ({scale}, {engine()})",
        p95(many),
        BUDGET_HTTP_CONCURRENT_MS,
        "ms",
        f"{len(many) / seconds:.0f} pages/s",
    )
    ok &= _report_admin(admin_times, f"over HTTP, {scale}, {engine()}")
    return ok
