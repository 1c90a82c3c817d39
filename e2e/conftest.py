"""Browser tests: one Chromium per session, a fresh context (cookies, viewport) per test.

Playwright's sync API runs an event loop in the test thread, so the ORM calls the tests make
need DJANGO_ALLOW_ASYNC_UNSAFE=true (`make e2e` sets it). The live server shares the test
database, so the data a test builds must be committed: the `world` fixture runs under
pytest-django's transactional database, which `live_server` brings along.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from anjian.accounts.models import Agency, Department, DepartmentKind, Role
from anjian.enterprises.models import Sector
from anjian.regions.models import RegionLevel
from anjian.test import assign, make_enterprise, make_grid, make_region, make_user
from e2e.browsing import World

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Generous enough for a cold Chromium on a loaded 2-core machine, short enough to fail fast.
TIMEOUT_MS = 10_000


def pytest_configure(config: pytest.Config) -> None:
    # WhiteNoise warns that STATIC_ROOT is missing; the live server serves from the finders.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, live_server: object) -> Iterator[Page]:
    """A desktop-sized page in its own context, pointed at the live server."""
    context = browser.new_context(
        base_url=str(live_server), viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: Browser, live_server: object) -> Iterator[Page]:
    """A 390x844 touch page, the size of the phones grid workers carry."""
    context = browser.new_context(
        base_url=str(live_server),
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture
def world(transactional_db: None) -> World:
    zone = make_region("示范区", RegionLevel.ZONE, code="01")
    o1 = make_region("东城办事处", RegionLevel.OFFICE, zone, code="01")
    o2 = make_region("西城街道", RegionLevel.OFFICE, zone, code="02")
    v1 = make_region("杨桥村", RegionLevel.VILLAGE, o1, code="001")
    v2 = make_region("石塘社区", RegionLevel.VILLAGE, o2, code="001")
    grid_a = make_grid(v1, "杨桥第一网格", "GA")
    grid_a2 = make_grid(v1, "杨桥第二网格", "GA2")
    grid_b = make_grid(v2, "石塘第一网格", "GB")
    fire = Department.objects.create(zone=zone, name="消防救援大队", kind=DepartmentKind.FIRE)
    agency = Agency.objects.create(zone=zone, name="安达安全技术服务有限公司")
    ea = make_enterprise(grid_a, "杨桥精密机械有限公司", competent_department=fire)
    ea2 = make_enterprise(grid_a2, "杨桥五金制品厂")
    eb = make_enterprise(grid_b, "石塘纺织有限公司", sector=Sector.TEXTILE)
    zhang = make_user("zhang", Role.GRID_WORKER)
    wang = make_user("wang", Role.GRID_WORKER)
    assign(zhang, grid_a)
    assign(wang, grid_b)
    users = {
        "zone_admin": make_user("chen", Role.ZONE_ADMIN, region=zone),
        "officer": make_user("li", Role.OFFICER, region=o1, certificate_no="执01"),
        "grid_worker": zhang,
        "enterprise": make_user("zhao", Role.ENTERPRISE, enterprise=ea),
        "expert": make_user("sun", Role.EXPERT, agency=agency),
        "leader": make_user("zhou", Role.LEADER, region=zone),
        "department": make_user("wu", Role.DEPARTMENT, department=fire),
        "other_grid_worker": wang,
    }
    return World(zone, grid_a, grid_a2, grid_b, ea, ea2, eb, users)
