"""The hazard loop in the browser: an enterprise hands in its rectification with a photo, an
officer accepts one and rejects another, and an overdue hazard says so wherever it is shown.
The ledger on a laptop and a phone: nothing overflows the page, the phone shows the list
before its folded filters, and each quick filter lists as many hazards as it counts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from anjian.accounts.models import User
from anjian.coverage.tests.test_coverage import visit
from anjian.enterprises.models import Enterprise
from anjian.fieldwork.models import VisitKind
from anjian.hazards.models import Hazard, Status
from anjian.hazards.tests.factories import days, general, major, make_photo
from anjian.hazards.workflow import register_hazard, transition
from anjian.test import make_enterprise
from e2e.browsing import World, camera_photo, log_in, shot

ROWS = "#hazard-table tbody tr[data-hazard]"


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Photos from the browser go to a temporary directory, not the developer's var/media."""
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]


def found(enterprise: Enterprise, officer: User, name: str, **data: object) -> Hazard:
    return register_hazard(enterprise, general(name=name, **data), by=officer)


def submitted(enterprise: Enterprise, officer: User, by: User, name: str) -> Hazard:
    hazard = found(enterprise, officer, name)
    transition(hazard, "submit", {}, by=by, version=hazard.version, photos=[make_photo(by)])
    return hazard


def open_action(page: Page, action: str) -> None:
    """Open the action's card if it is folded (the first one is open already)."""
    card = page.locator(f"details:has(#action-{action})")
    if card.get_attribute("open") is None:
        card.locator("summary").click()


def test_enterprise_hands_in_its_rectification_with_a_photo(page: Page, world: World) -> None:
    officer, zhao = world.users["officer"], world.users["enterprise"]
    hazard = found(world.ea, officer, "配电箱前堆放杂物", deadline=days(10))
    log_in(page, zhao.username)
    portal = page.locator("#portal-hazards")
    assert portal.locator(f"[data-hazard='{hazard.pk}']").count() == 1
    shot(page, "ledger-enterprise-home")

    portal.locator(f"[data-hazard='{hazard.pk}'] a").click()
    page.wait_for_url(re.compile(rf"/hazards/{hazard.pk}/$"))
    open_action(page, "submit")
    form = page.locator("#action-submit")
    form.locator("textarea").fill("杂物已清理，配电箱前留出1米通道")
    upload = camera_photo(page, "fixed.jpg", "fixed")
    form.locator("input[type=file]").set_input_files(files=upload)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/hazards/{hazard.pk}/$"))

    hazard.refresh_from_db()
    assert hazard.status == Status.SUBMITTED
    (photo,) = hazard.after_photos.all()
    assert photo.uploaded_by == zhao
    assert page.locator(".alert-success").count() == 1
    assert page.locator("#hazard-state [data-status]").get_attribute("data-status") == "submitted"
    thumb = page.locator("#after-photos img")
    assert thumb.count() == 1
    # The photo is served through the hazard (a scope check), not from a public media URL.
    src = thumb.get_attribute("src")
    assert src == f"/hazards/{hazard.pk}/photos/{photo.pk}/"
    response = page.request.get(src)
    assert (response.status, response.headers["content-type"]) == (200, "image/jpeg")
    assert response.body() == upload[0]["buffer"]
    page.wait_for_function("() => document.querySelector('#after-photos img').complete")
    assert page.evaluate("() => document.querySelector('#after-photos img').naturalWidth") == 320
    shot(page, "ledger-enterprise-submitted")
    # Someone who cannot see the hazard gets nothing, not even a hint it exists.
    browser = page.context.browser
    assert browser is not None
    other = browser.new_context(base_url=page.url.split("/hazards/")[0])
    stranger = other.new_page()
    log_in(stranger, world.users["other_grid_worker"].username)
    assert stranger.request.get(src).status == 404
    other.close()


def test_officer_accepts_one_rectification_and_rejects_another(page: Page, world: World) -> None:
    officer, zhao = world.users["officer"], world.users["enterprise"]
    good = submitted(world.ea, officer, zhao, "灭火器过期")
    poor = submitted(world.ea, officer, zhao, "安全出口堵塞")
    log_in(page, officer.username)

    page.goto(f"/hazards/{good.pk}/")
    open_action(page, "accept")
    page.locator("#action-accept textarea").fill("复查合格，灭火器已更换")
    page.locator("#action-accept button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/hazards/{good.pk}/$"))
    shot(page, "ledger-officer-accepted")
    good.refresh_from_db()
    assert (good.status, good.acceptor, good.accept_comment) == (
        Status.CLOSED,
        officer,
        "复查合格，灭火器已更换",
    )
    assert page.locator("#action-accept").count() == 0
    assert "复查合格" in page.inner_text("#timeline")

    page.goto(f"/hazards/{poor.pk}/")
    open_action(page, "reject")
    page.locator("#action-reject button[type=submit]").click()
    # The reason is required: the browser holds the form back and nothing changes.
    assert page.locator("#action-reject textarea:invalid").count() == 1
    poor.refresh_from_db()
    assert poor.status == Status.SUBMITTED
    page.locator("#action-reject textarea").fill("照片未显示出口全貌，请重新整改")
    page.locator("#action-reject button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/hazards/{poor.pk}/$"))
    shot(page, "ledger-officer-rejected")
    poor.refresh_from_db()
    assert (poor.status, poor.rejections) == (Status.RECTIFYING, 1)
    assert page.inner_text("#hazard-rejections") == "1"
    last = page.locator("#timeline li").last
    assert last.get_attribute("data-action") == "reject"
    assert "照片未显示出口全貌" in last.inner_text()

    page.goto("/hazards/?state=closed")
    closed = page.locator("#hazard-table tbody tr[data-hazard]")
    assert [closed.nth(i).get_attribute("data-hazard") for i in range(closed.count())] == [
        str(good.pk)
    ]


def test_an_overdue_hazard_is_shown_as_overdue_everywhere(page: Page, world: World) -> None:
    officer, zhao = world.users["officer"], world.users["enterprise"]
    late = found(world.ea, officer, "安全出口锁闭", found_on=days(-40), deadline=days(-10))
    on_time = found(world.ea, officer, "消防栓被遮挡", deadline=days(5))

    def badge(selector: str) -> int:
        return page.locator(f"{selector} .overdue-badge").count()

    log_in(page, officer.username)
    page.goto("/hazards/")
    shot(page, "overdue-ledger")
    assert badge(f"tr[data-hazard='{late.pk}']") == 1
    assert badge(f"tr[data-hazard='{on_time.pk}']") == 0
    page.select_option("#id_state", "overdue")
    page.wait_for_function("() => location.search.includes('state=overdue')")
    page.wait_for_function(
        "() => document.querySelectorAll('#hazard-table tbody tr[data-hazard]').length == 1"
    )
    only = page.locator("#hazard-table tbody tr[data-hazard]")
    assert only.get_attribute("data-hazard") == str(late.pk)

    page.goto(f"/hazards/{late.pk}/")
    shot(page, "overdue-hazard-page")
    assert badge("#hazard-state") == 1
    assert badge("#hazard-deadline") == 1

    page.goto(f"/enterprises/{world.ea.pk}/")
    shot(page, "overdue-enterprise-page")
    assert badge(f"#enterprise-hazards [data-hazard='{late.pk}']") >= 1
    assert badge(f"#enterprise-hazards [data-hazard='{on_time.pk}']") == 0

    page.context.clear_cookies()
    log_in(page, zhao.username)
    shot(page, "overdue-enterprise-portal")
    rows = page.locator("#portal-hazards [data-hazard]")
    assert rows.first.get_attribute("data-hazard") == str(late.pk), "overdue comes first"
    assert badge(f"#portal-hazards [data-hazard='{late.pk}']") == 1
    assert badge(f"#portal-hazards [data-hazard='{on_time.pk}']") == 0


def ledger_world(world: World) -> None:
    """An officer's ledger with something in every quick filter, and the longest names a
    ledger holds, to stretch its columns."""
    officer, zhao = world.users["officer"], world.users["enterprise"]
    long_name = make_enterprise(
        world.grid_a2, "杨桥经济开发区东城精密机械零部件制造股份有限公司第二分公司"
    )
    found(world.ea, officer, "安全出口锁闭", found_on=days(-40), deadline=days(-10))
    found(long_name, officer, "车间内" + "配电箱前堆放大量易燃杂物且未设置警示标识" * 2)
    found(world.ea2, officer, "灭火器过期")
    submitted(world.ea, officer, zhao, "消防栓被遮挡")
    register_hazard(long_name, major(), by=officer)
    found(world.eb, world.users["zone_admin"], "石塘的隐患不在李的辖区")


def page_overflow(page: Page) -> int:
    """How far the page itself scrolls sideways (0: it fits the screen)."""
    return int(page.evaluate("document.documentElement.scrollWidth - innerWidth"))


def quick_counts(page: Page) -> dict[str, int]:
    links = page.locator("#quick-filters a[data-quick]")
    return {
        links.nth(i).get_attribute("data-quick") or "": int(
            links.nth(i).get_attribute("data-count") or -1
        )
        for i in range(links.count())
    }


def test_the_ledger_fits_a_laptop_and_each_quick_filter_lists_what_it_counts(
    page: Page, world: World
) -> None:
    ledger_world(world)
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, world.users["officer"].username)
    page.goto("/hazards/")
    shot(page, "ledger-1366")
    assert page_overflow(page) == 0
    # The table fits its own box: its last column is on screen, not scrolled away.
    fits = "t => t.scrollWidth <= t.parentElement.clientWidth"
    assert page.locator("#hazard-table").evaluate(fits)
    last = page.locator("#hazard-table thead th").last.bounding_box()
    assert last is not None and last["x"] + last["width"] <= 1366
    # Open on a laptop, above the list.
    assert page.locator("#ledger-filters").get_attribute("open") is not None
    assert page.locator("#id_state").is_visible()
    assert page.locator("#to-filters").is_hidden()
    total = int(page.locator("#ledger-total").get_attribute("data-count") or -1)
    assert total == page.locator(ROWS).count() == 5, "the other office's hazard is not counted"
    counts = quick_counts(page)
    assert counts == {"mine": 5, "open": 5, "overdue": 1, "awaiting": 1, "major": 1}
    for key, count in counts.items():
        page.goto("/hazards/")
        page.locator(f"#quick-filters a[data-quick='{key}']").click()
        page.wait_for_selector(f"#quick-filters a[data-quick='{key}'][aria-current='page']")
        assert page.locator(ROWS).count() == count, key
        assert int(page.locator("#ledger-total").get_attribute("data-count") or -1) == count
    shot(page, "ledger-1366-major")


def test_a_search_lists_at_once_and_its_counts_follow(page: Page, world: World) -> None:
    """A search's counts are fetched after its rows are shown (statistics.ledger): they
    arrive by themselves, and each still lists what it counts."""
    ledger_world(world)
    log_in(page, world.users["officer"].username)
    page.goto("/hazards/")
    page.fill("#id_q", "灭火器")
    page.locator("#id_q").press("Enter")
    page.wait_for_function("() => location.search.includes('q=')")
    page.wait_for_selector("#ledger-total")
    assert page.locator("#ledger-counts[data-deferred]").count() == 0
    total = int(page.locator("#ledger-total").get_attribute("data-count") or -1)
    assert total == page.locator(ROWS).count() == 1
    assert quick_counts(page)["open"] == 1
    page.locator("#quick-filters a[data-quick='open']").click()
    page.wait_for_selector("#quick-filters a[data-quick='open'][aria-current='page']")
    assert "q=" in page.url and page.locator(ROWS).count() == 1


def test_on_a_phone_the_list_comes_first_and_the_filters_fold_away(
    phone_page: Page, world: World
) -> None:
    page = phone_page
    ledger_world(world)
    log_in(page, world.users["officer"].username)
    page.goto("/hazards/")
    shot(page, "ledger-390")
    assert page_overflow(page) == 0
    filters = page.locator("#ledger-filters")
    assert filters.get_attribute("open") is None, "folded on a phone"
    assert page.locator("#id_state").is_hidden()
    table = page.locator("#hazard-table").bounding_box()
    folded = filters.bounding_box()
    assert table is not None and folded is not None
    assert table["y"] + table["height"] <= folded["y"], "the list comes before the filters"
    # Each hazard a card as wide as the screen: no column scrolled out of sight.
    card = page.locator(ROWS).first.bounding_box()
    assert card is not None and card["x"] >= 0 and card["x"] + card["width"] <= 390
    assert page.locator(ROWS).first.locator(".hazard-name").is_visible()

    overdue = quick_counts(page)["overdue"]
    page.locator("#quick-filters a[data-quick='overdue']").click()
    page.wait_for_url(re.compile(r"state=overdue"))
    assert page.locator(ROWS).count() == overdue == 1
    assert page.locator("#ledger-filters").get_attribute("open") is None

    # The button beside the counts unfolds the filters; a filter chosen there keeps them open.
    page.locator("#to-filters").click()
    assert page.locator("#id_state").is_visible()
    page.select_option("#id_state", "awaiting")
    page.wait_for_function("() => location.search.includes('state=awaiting')")
    page.wait_for_function("() => document.querySelector('#ledger-total').dataset.count === '1'")
    assert page.locator("#id_state").is_visible(), "still open after the list is redrawn"
    assert page_overflow(page) == 0
    shot(page, "ledger-390-filters-open")


def test_the_other_wide_lists_fit_a_laptop(page: Page, world: World) -> None:
    ledger_world(world)
    visit(world.ea, world.users["officer"], days(-1), "inspected", VisitKind.INSPECTION)
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, world.users["zone_admin"].username)
    for path in ("/enterprises/", "/field/visits/", "/fieldwork/coverage/", "/notices/"):
        page.goto(path)
        shot(page, f"wide-list-1366{path.replace('/', '-')}")
        assert page_overflow(page) == 0, path
        tables = page.locator("table")
        assert tables.count() > 0, path
        for i in range(tables.count()):
            assert tables.nth(i).evaluate("t => t.scrollWidth <= t.parentElement.clientWidth"), (
                path,
                i,
            )
