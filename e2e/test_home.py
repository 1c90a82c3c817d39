"""Each role's home in the browser, on a desk and on a phone: it loads without a console error
or a failed request, fits the screen, draws its charts (each with its table of figures) and its
grid map, and every figure it shows is the count of the list it links to.

One world serves every role (it is slow to build), so one test walks all the homes and reports
every problem it meets together, role by role, rather than stopping at the first.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, Response
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from anjian.accounts.models import Role
from anjian.coverage.tests.test_coverage import visit
from anjian.enterprises.models import RiskClass
from anjian.fieldwork.models import VisitKind
from anjian.hazards.models import Hazard, HazardType, Status
from anjian.hazards.tests.factories import engage, hazard_in, make_photo
from anjian.statistics.figures import SOURCES
from anjian.test import make_enterprise, make_user
from e2e.browsing import World, log_in, shot
from e2e.conftest import TIMEOUT_MS

ROLES = ["zone_admin", "leader", "officer", "grid_worker", "enterprise", "expert", "department"]
# The homes with charts and a map (zone admin, leader, officer), and the charts each draws:
# the hazards by type and office need more than one office in view.
AREA_CHARTS = {
    "zone_admin": ["chart-trend", "chart-risk", "chart-categories"],
    "leader": ["chart-trend", "chart-risk", "chart-categories"],
    "officer": ["chart-trend", "chart-risk"],
}
# Each chart's figures as a table, for those who cannot read the chart.
CHART_TABLES = {
    "chart-trend": "table-trend",
    "chart-risk": "table-risk",
    "chart-categories": "table-categories",
}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1366, "height": 768}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
    ),
}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
# Whose every figure is followed to its list in the browser; on the other homes, a sample of
# this many, spread over the page.
FOLLOW_ALL = "zone_admin"
SAMPLE = 5


def square(west: float) -> str:
    """A grid boundary as GeoJSON: a square 0.01° wide whose west edge is at `west`."""
    east = round(west + 0.01, 2)
    ring = [[west, 31.0], [east, 31.0], [east, 31.01], [west, 31.01], [west, 31.0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Hazard photos go to a temporary directory, not the developer's var/media."""
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]


@pytest.fixture
def homes(world: World) -> World:
    """The world with a year of work in it, so that no home is a page of zeros: hazards in
    every state over this year and last at both offices, of several types, some overdue;
    visits of each kind; enterprises of all four risk colours; grids with boundaries."""
    today = timezone.localdate()
    li, zhao, sun = (world.users[k] for k in ("officer", "enterprise", "expert"))
    qian = make_user("qian", Role.OFFICER, region=world.grid_b.office, certificate_no="执02")
    for west, grid in zip(
        (120.0, 120.01, 120.02), (world.grid_a, world.grid_a2, world.grid_b), strict=True
    ):
        grid.boundary = square(west)
        grid.save()
    for enterprise, colour in (
        (world.ea, RiskClass.RED),
        (world.ea2, RiskClass.YELLOW),
        (world.eb, RiskClass.BLUE),
    ):
        enterprise.risk_class = colour
        enterprise.save()
    make_enterprise(world.grid_b, "石塘承租仓库", landlord=world.eb, risk_class=RiskClass.ORANGE)
    photo, other = make_photo(li), make_photo(qian)
    statuses = [Status.RECTIFYING, Status.SUBMITTED, Status.CLOSED, Status.VOID,
                Status.REPORTED, Status.UNDER_REVIEW, Status.WRITTEN_OFF]  # fmt: skip
    hazards: list[Hazard] = []
    for i, status in enumerate(statuses):
        hazards.append(hazard_in(status, world.ea, li, photo))
        at_b = i % 2 == 1
        hazards.append(
            hazard_in(
                status,
                world.eb if at_b else world.ea2,
                qian if at_b else li,
                other if at_b else photo,
            )
        )
    types = list(HazardType)
    for n, h in enumerate(hazards):
        # The workflow ran on copies: the deadline and close are in the database, not in `h`.
        h.refresh_from_db()
        found = today - datetime.timedelta(days=[2, 20, 75, 140, 200, 380][n % 6])
        changes: dict[str, Any] = {"found_on": found, "hazard_type": types[n % 4]}
        if h.closed_at is not None:
            closed = min(found + datetime.timedelta(days=10 + n), today)
            changes["closed_at"] = timezone.make_aware(
                datetime.datetime.combine(closed, datetime.time(9))
            )
            changes["deadline"] = found + datetime.timedelta(days=[5, 30][n % 2])
        elif h.deadline is not None:
            # Every other open one is overdue: due the day after it was found.
            due = [found + datetime.timedelta(days=1), today + datetime.timedelta(days=2)]
            changes["deadline"] = due[n % 2]
        Hazard.objects.filter(pk=h.pk).update(**changes)
    zhang, wang = world.users["grid_worker"], world.users["other_grid_worker"]
    for n, (who, where, kind) in enumerate(
        [
            (zhang, world.ea, VisitKind.PATROL),
            (zhang, world.ea2, VisitKind.PATROL),
            (wang, world.eb, VisitKind.PATROL),
            (li, world.ea, VisitKind.INSPECTION),
            (qian, world.eb, VisitKind.INSPECTION),
            (zhao, world.ea, VisitKind.SELF_INSPECTION),
            (sun, world.ea, VisitKind.EXPERT_CHECK),
        ]
    ):
        day = today - datetime.timedelta(days=[1, 40, 100, 370][n % 4])
        visit(where, who, day, "inspected" if n % 3 else "locked", kind)
    engage(sun, world.ea)
    return world


@dataclass
class Watch:
    """What went wrong on a page while it was watched: console errors, uncaught exceptions,
    requests that failed or were answered with an error (a missing favicon among them)."""

    problems: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        page.on("requestfailed", self.failed)
        page.on("response", self.answered)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def failed(self, request: Request) -> None:
        # Aborted is the browser dropping a request when the test moves on to the next page
        # (the icon of the page it leaves), not a request that failed.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.url} {request.failure}")

    def answered(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status}: {response.url}")


@pytest.fixture
def contexts(browser: Browser, live_server: object) -> Iterator[list[BrowserContext]]:
    """Every context the test opens, closed at its end."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def open_page(
    browser: Browser, live_server: object, viewport: str, opened: list[BrowserContext]
) -> tuple[Page, Watch]:
    context = browser.new_context(base_url=str(live_server), **VIEWPORTS[viewport])
    context.set_default_timeout(TIMEOUT_MS)
    opened.append(context)
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    return page, watch


LAYOUT = """() => {
    const width = window.innerWidth;
    const shown = el => el.getClientRects().length > 0;
    const cut = [...document.querySelectorAll("main table")].filter(shown).filter(t => {
        const box = t.getBoundingClientRect();
        const holder = t.parentElement.getBoundingClientRect();
        return box.right > Math.min(width, holder.right) + 1;
    }).map(t => t.id || t.className);
    return {width, scrollWidth: document.scrollingElement.scrollWidth, cut};
}"""

CHARTS = """ids => ids.map(id => {
    const el = document.getElementById(id);
    if (!el) return {id, missing: true};
    const drawing = el.querySelector("svg, canvas");
    const box = drawing ? drawing.getBoundingClientRect() : {width: 0, height: 0};
    return {
        id,
        instance: typeof echarts !== "undefined" && !!echarts.getInstanceByDom(el),
        width: box.width,
        height: box.height,
        marks: el.querySelectorAll("svg path").length,
    };
})"""

FIGURES = """() => [...document.querySelectorAll("main a[data-figure]")].map(a => ({
    key: a.dataset.figure,
    value: Number(a.dataset.value),
    href: a.getAttribute("href"),
}))"""

# One at a time: the live server answers from one SQLite connection shared between its threads,
# which many requests at once can wedge. Each is bounded, so a stuck one fails instead of hanging.
COUNTS = """async apis => {
    const counts = [];
    for (const api of apis) {
        const r = await fetch(api + (api.includes("?") ? "&" : "?") + "with_count=true&limit=1",
                              {signal: AbortSignal.timeout(10000)});
        counts.push(r.ok ? (await r.json()).count : "HTTP " + r.status);
    }
    return counts;
}"""


def api_twin(href: str) -> str:
    """The API list a page list link counts: /hazards/?state=open -> /api/v1/hazards?state=open
    (as Figure.api builds it)."""
    path, _, query = href.partition("?")
    for source in SOURCES.values():
        if path == source.page:
            return source.api + (f"?{query}" if query else "")
    raise AssertionError(f"{href} is not a list figures count")


def shown_total(page: Page) -> int | None:
    """The total a list page shows (共 N 条), where it shows one."""
    marked = page.locator("main [data-total]")
    if marked.count():
        return int(marked.first.get_attribute("data-total") or "")
    found = re.search(r"共\s*([\d,]+)\s*[条家项次个]", page.inner_text("main"))
    return int(found.group(1).replace(",", "")) if found else None


def check_layout(page: Page, viewport: str) -> list[str]:
    layout = page.evaluate(LAYOUT)
    problems = []
    if layout["scrollWidth"] > layout["width"]:
        problems.append(f"page is {layout['scrollWidth']}px wide in a {layout['width']}px screen")
    if viewport == "desktop" and layout["cut"]:
        problems.append(f"tables cut off: {layout['cut']}")
    return problems


def check_language(page: Page, username: str) -> list[str]:
    """The page is in Chinese: no word of English in it but the person's own name."""
    words = set(re.findall(r"[A-Za-z]{2,}", page.inner_text("main"))) - {username}
    return [f"English on the Chinese page: {sorted(words)}"] if words else []


def check_charts(page: Page, role: str) -> list[str]:
    ids = AREA_CHARTS.get(role, [])
    if not ids:
        return [] if page.locator(".chart").count() == 0 else ["a chart on a home without"]
    # A chart that never draws is reported below, with what its container holds.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            "ids => ids.every(id => document.querySelector(`#${id} svg path`))", arg=ids
        )
    problems = []
    for c in page.evaluate(CHARTS, ids):
        if c.get("missing") or not c["instance"] or not (c["width"] and c["height"]):
            problems.append(f"chart not drawn: {c}")
        elif not c["marks"]:
            problems.append(f"chart empty: {c}")
        table = CHART_TABLES[c["id"]]
        if page.locator(f"#{table} tbody tr").count() == 0:
            problems.append(f"{c['id']} has no table of figures (#{table})")
    return problems


def check_map(page: Page, role: str) -> list[str]:
    if role not in AREA_CHARTS:
        return []
    shapes = page.locator("#grid-map path.grid-shape")
    coloured = page.locator(
        "#grid-map a[href] path:is(.risk-fill-red, .risk-fill-orange, .risk-fill-yellow, "
        ".risk-fill-blue)"
    )
    problems = []
    if shapes.count() == 0:
        problems.append("no grid map")
    if coloured.count() == 0:
        problems.append("no coloured grid linking to its enterprises")
    for href in page.locator("#grid-map a[href]").evaluate_all(
        "els => els.map(a => a.getAttribute('href'))"
    ):
        if not href.startswith("/enterprises/?") or "risk_class=" not in href:
            problems.append(f"map links to {href}")
    return problems


def check_figures(page: Page, watch: Watch, role: str) -> list[str]:
    """Follow the home's figure links (every one on the zone admin's, a sample spread over
    the page on the others'): each list page loads cleanly and, where it shows its total,
    shows the figure's value; and the list's API twin counts that value (which holds
    whether or not the page shows a total)."""
    figures = page.evaluate(FIGURES)
    if not figures:
        return ["no figure links"]
    problems = []
    if not any(f["value"] for f in figures):
        problems.append("every figure is zero")
    step = 1 if role == FOLLOW_ALL else -(-len(figures) // SAMPLE)
    followed = {f["href"]: f for f in figures[::step]}
    counts = page.evaluate(COUNTS, [api_twin(href) for href in followed])
    for (href, f), count in zip(followed.items(), counts, strict=True):
        if count != f["value"]:
            problems.append(f"{f['key']} says {f['value']}, its list counts {count} ({href})")
    for href, f in followed.items():
        response = page.goto(href)
        if response is None or not response.ok:
            problems.append(f"{href}: {response and response.status}")
            continue
        total = shown_total(page)
        if total is not None and total != f["value"]:
            problems.append(f"{href} shows 共 {total}, the figure says {f['value']}")
    problems.extend(f"following figures: {p}" for p in watch.problems)
    return problems


def test_every_home_on_a_desk_and_a_phone(
    homes: World, browser: Browser, live_server: object, contexts: list[BrowserContext]
) -> None:
    report: dict[str, list[str]] = {}
    for role in ROLES:
        for viewport in VIEWPORTS:
            page, watch = open_page(browser, live_server, viewport, contexts)
            log_in(page, homes.users[role].username)
            page.wait_for_load_state("load")
            problems = check_charts(page, role) + check_map(page, role)
            problems += check_language(page, homes.users[role].username)
            shot(page, f"home-{role}-{viewport}")
            # The charts' tables too, which are folded away until asked for.
            page.evaluate(
                "() => document.querySelectorAll('main details').forEach(d => d.open = true)"
            )
            problems += check_layout(page, viewport)
            problems += watch.problems
            watch.problems.clear()
            if viewport == "desktop":
                problems += check_figures(page, watch, role)
            if problems:
                report[f"{role} on {viewport}"] = problems
    assert not report, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in report.items())
