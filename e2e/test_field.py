"""The field page on a phone: a grid worker's patrol from "nearest enterprise" to two hazards,
a submit whose answer is lost and is pressed again, and what the page costs to load."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Geolocation, Page, Request, Route

from anjian.checklists.models import Determination
from anjian.enterprises.models import Enterprise
from anjian.fieldwork.models import Outcome, Visit, VisitKind
from anjian.hazards.models import Hazard, Level, RectifyType, Status
from anjian.hazards.tests.factories import make_checklist
from anjian.regions.models import Grid
from anjian.test import make_enterprise
from e2e.browsing import World, camera_photo, log_in, shot

# What the field page may transfer before any photo (issue 3, item 5).
BUDGET_BYTES = 300 * 1024
HERE: Geolocation = {"latitude": 31.30010, "longitude": 120.60000}


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Photos from the browser go to a temporary directory, not the developer's var/media."""
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]


def place(enterprise: Enterprise, lat: str, lon: str) -> None:
    Enterprise.objects.filter(pk=enterprise.pk).update(
        latitude=Decimal(lat), longitude=Decimal(lon)
    )


class Transfer:
    """Bytes on the wire for every request but photo uploads: headers and bodies both ways.

    Measured from a cold browser (nothing cached), the worst case a phone meets."""

    def __init__(self) -> None:
        self.requests: list[Request] = []

    def record(self, request: Request) -> None:
        if "/api/v1/photos" not in request.url:
            self.requests.append(request)

    def total(self) -> int:
        total = 0
        for r in self.requests:
            sizes = r.sizes()
            total += sum(
                max(0, sizes[k])  # type: ignore[literal-required]
                for k in (
                    "requestBodySize",
                    "requestHeadersSize",
                    "responseBodySize",
                    "responseHeadersSize",
                )
            )
        return total


def test_grid_worker_patrol_on_a_phone_ends_in_two_hazards(phone_page: Page, world: World) -> None:
    page = phone_page
    zhang = world.users["grid_worker"]
    place(world.ea, "31.300000", "120.600000")
    farther = make_enterprise(world.grid_a, "杨桥塑料制品厂")
    place(farther, "31.320000", "120.600000")
    version = make_checklist([("1", Determination.GENERAL), ("2", Determination.GENERAL)])
    item2 = version.items.get(code="2")
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(HERE)
    log_in(page, zhang.username)

    transfer = Transfer()
    page.on("requestfinished", transfer.record)
    page.goto("/field/")
    page.wait_for_function("() => document.querySelector('#enterprise-results li')")
    page.click("#nearest")
    choices = page.locator("#enterprise-results button")
    page.locator("#enterprise-results button[data-distance]").first.wait_for()
    assert choices.nth(0).get_attribute("data-enterprise") == str(world.ea.pk)
    assert choices.nth(1).get_attribute("data-enterprise") == str(farther.pk)
    assert choices.nth(0).get_attribute("data-distance") == "11"
    assert "11" in choices.nth(0).inner_text()
    shot(page, "field-phone-nearest")
    choices.nth(0).click()
    assert page.inner_text("#chosen-name") == world.ea.name
    assert page.is_checked("input[name=outcome][value=inspected]")

    page.locator(f"#checklist option[value='{version.pk}']").wait_for(state="attached")
    page.select_option("#checklist", str(version.pk))
    items = page.locator("li.item")
    assert items.count() == 2
    items.nth(0).locator("input[value=compliant]").check()
    items.nth(1).locator("input[value=non_compliant]").check()
    items.nth(1).locator(".a-note").fill("安全出口堆放纸箱")
    items.nth(1).locator(".a-photos").set_input_files(files=camera_photo(page, "exit.jpg"))
    from_item = page.locator("fieldset.hazard[data-item]")
    assert from_item.locator(".h-name").input_value() == item2.text
    deadline = timezone.localdate() + datetime.timedelta(days=7)
    from_item.locator(".h-location").fill("二号车间")

    page.click("#add-hazard")
    free = page.locator("fieldset.hazard:not([data-item])")
    free.locator(".h-name").fill("灭火器压力不足")
    free.locator(".h-rectify").select_option(RectifyType.IMMEDIATE.value)
    free.locator(".h-before").set_input_files(files=camera_photo(page, "before.jpg"))

    # Nothing is sent while the page can tell what is missing.
    page.click("#submit-visit")
    assert from_item.locator('[data-error="deadline"]').inner_text()
    assert free.locator('[data-error="after_photos"]').inner_text()
    assert Visit.objects.count() == 0
    shot(page, "field-phone-missing-entries")
    from_item.locator(".h-deadline").fill(deadline.isoformat())
    free.locator(".h-after").set_input_files(files=camera_photo(page, "after.jpg"))

    # The first answer is lost on its way back (the phone lost signal after the server wrote).
    lost: list[int] = []

    def lose_first_answer(route: Route) -> None:
        if not lost:
            lost.append(route.fetch().status)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/v1/visits", lose_first_answer)
    page.click("#submit-visit")
    page.wait_for_function("() => document.getElementById('status').classList.contains('bad')")
    assert lost == [201]
    assert Visit.objects.count() == 1
    shot(page, "field-phone-connection-lost")

    page.click("#submit-visit")
    page.locator("#done").wait_for()
    shot(page, "field-phone-done")
    assert page.locator("#done-hazards a").all_inner_texts() == [item2.text, "灭火器压力不足"]

    visit = Visit.objects.get()
    assert (visit.kind, visit.outcome, visit.recorded_by) == (
        VisitKind.PATROL,
        Outcome.INSPECTED,
        zhang,
    )
    assert (visit.latitude, visit.longitude) == (Decimal("31.300100"), Decimal("120.600000"))
    assert visit.answers.count() == 2
    found_by_item, found_free = Hazard.objects.filter(visit=visit).order_by("id")
    assert (found_by_item.item, found_by_item.status) == (item2, Status.RECTIFYING)
    assert (found_by_item.deadline, found_by_item.location) == (deadline, "二号车间")
    assert found_by_item.before_photos.count() == 1
    assert (found_free.name, found_free.status) == ("灭火器压力不足", Status.SUBMITTED)
    assert (found_free.before_photos.count(), found_free.after_photos.count()) == (1, 1)
    assert Hazard.objects.count() == 2

    spent = transfer.total()
    print(f"\nfield page transfer before photos: {spent / 1024:.1f} KB (budget 300 KB)")
    assert spent <= BUDGET_BYTES, spent

    page.goto("/hazards/")
    shot(page, "field-phone-ledger")
    rows = page.locator("#hazard-table tbody tr[data-hazard]")
    assert rows.count() == 2
    listed = set(page.locator("#hazard-table .hazard-name").all_inner_texts())
    assert listed == {found_free.name, found_by_item.name}


def test_a_locked_door_is_recorded_without_checklist_or_hazards(
    phone_page: Page, world: World
) -> None:
    page = phone_page
    log_in(page, world.users["grid_worker"].username)
    page.goto(f"/field/?enterprise={world.ea.pk}")
    assert page.inner_text("#chosen-name") == world.ea.name
    page.check("input[name=outcome][value=locked]")
    assert page.locator("#step-checklist").is_hidden()
    assert page.locator("#step-hazards").is_hidden()
    page.fill("#visit-note", "大门紧锁，电话无人接听")
    page.click("#submit-visit")
    page.locator("#done").wait_for()
    visit = Visit.objects.get()
    assert (visit.outcome, visit.note, visit.hazards.count()) == (
        Outcome.LOCKED,
        "大门紧锁，电话无人接听",
        0,
    )
    page.click("#done-visit")
    page.wait_for_url(re.compile(rf"/field/visits/{visit.pk}/$"))
    assert "大门紧锁" in page.inner_text("main")


def test_an_officer_reports_a_major_hazard_and_leaves_a_deadline_for_later(
    phone_page: Page, world: World
) -> None:
    page = phone_page
    officer = world.users["officer"]
    log_in(page, officer.username)
    page.goto(f"/field/?enterprise={world.ea2.pk}")
    page.click("#add-hazard")
    major = page.locator("fieldset.hazard").nth(0)
    major.locator(".h-name").fill("粉尘涉爆除尘系统未设置泄爆装置")
    major.locator(".h-level").select_option("1")
    assert major.locator(".h-deadline").is_hidden(), "a major hazard gets its deadline later"
    assert major.locator(".h-rectify").is_hidden(), "a major hazard is not fixed on the spot"
    page.click("#add-hazard")
    general = page.locator("fieldset.hazard").nth(1)
    general.locator(".h-name").fill("配电箱门未关闭")
    shot(page, "field-officer-major")
    page.click("#submit-visit")
    page.locator("#done").wait_for()

    visit = Visit.objects.get()
    assert (visit.kind, visit.recorded_by) == (VisitKind.INSPECTION, officer)
    reported, registered = Hazard.objects.filter(visit=visit).order_by("id")
    assert (reported.level, reported.status) == (Level.MAJOR, Status.REPORTED)
    assert (registered.status, registered.deadline) == (Status.REGISTERED, None)


def test_a_patrol_without_signal_waits_on_the_phone_and_lands_once(
    phone_page: Page, world: World
) -> None:
    """Offline: the submit is kept on the phone (with its photo), survives a reload without
    signal, and is sent once when the signal is back; nothing lands twice."""
    page = phone_page
    log_in(page, world.users["grid_worker"].username)
    url = f"/field/?enterprise={world.ea.pk}"
    page.goto(url)
    # The service worker takes the page over, and keeps a copy of it the next time it loads.
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    page.reload()
    assert page.inner_text("#chosen-name") == world.ea.name

    page.click("#add-hazard")
    hazard = page.locator("fieldset.hazard")
    hazard.locator(".h-name").fill("消防通道堆放货物")
    deadline = timezone.localdate() + datetime.timedelta(days=5)
    hazard.locator(".h-deadline").fill(deadline.isoformat())
    page.set_input_files("#visit-photos", files=camera_photo(page, "yard.jpg", "堆场"))
    page.fill("#visit-note", "厂区堆场无信号")

    page.context.set_offline(True)
    page.click("#submit-visit")
    page.locator("#queued").wait_for()
    assert page.inner_text("#outbox-count") == "1"
    assert page.locator("#outbox-list li").count() == 1
    assert world.ea.name in page.inner_text("#outbox-list")
    shot(page, "field-offline-kept")
    assert Visit.objects.count() == 0

    # Reloaded without signal: the page comes from the phone, and so does the visit.
    page.reload()
    page.locator("#outbox").wait_for()
    assert page.inner_text("#outbox-count") == "1"
    assert page.evaluate("navigator.onLine") is False
    assert Visit.objects.count() == 0
    shot(page, "field-offline-reloaded")

    page.context.set_offline(False)
    page.locator("#outbox").wait_for(state="hidden")
    visit = Visit.objects.get()
    assert (visit.enterprise, visit.note, visit.outcome) == (
        world.ea,
        "厂区堆场无信号",
        Outcome.INSPECTED,
    )
    assert visit.photos.count() == 1
    found = Hazard.objects.get(visit=visit)
    assert (found.name, found.deadline) == ("消防通道堆放货物", deadline)

    # Pressing "Send now" or opening the page again sends nothing more.
    page.reload()
    page.wait_for_function("() => document.getElementById('outbox').hidden")
    assert (Visit.objects.count(), Hazard.objects.count()) == (1, 1)

    # Signing out forgets the kept copy of the page: the next person on this phone cannot
    # open it without signal.
    assert page.evaluate("caches.keys()") == ["anjian-field-v1"]
    page.goto("/")
    page.click("form[action='/accounts/logout/'] button")
    page.wait_for_url(re.compile(r"/login/"))
    page.wait_for_function("() => document.documentElement.dataset.fieldCopy === 'forgotten'")
    assert page.evaluate("caches.keys()") == []


def move(enterprise: Enterprise, grid: Grid) -> None:
    Enterprise.objects.filter(pk=enterprise.pk).update(
        grid=grid, village_id=grid.village_id, office_id=grid.office_id
    )


def keep_offline(page: Page, url: str, note: str) -> None:
    """Open the field page, lose the signal, and submit a visit: it is kept on the phone."""
    page.goto(url)
    page.context.set_offline(True)
    page.fill("#visit-note", note)
    page.click("#submit-visit")
    page.locator("#queued").wait_for()


def test_a_kept_visit_the_server_refuses_waits_to_be_sent_again_or_discarded(
    phone_page: Page, world: World
) -> None:
    """A kept visit the server refuses is not sent again and again: it shows the reason and
    waits until the person sends it again ("Send now") or discards it."""
    page = phone_page
    log_in(page, world.users["grid_worker"].username)
    url = f"/field/?enterprise={world.ea.pk}"
    keep_offline(page, url, "先存着")
    # Meanwhile the enterprise moved to another grid: the patrol is no longer Zhang's to record.
    move(world.ea, world.grid_b)
    page.context.set_offline(False)
    page.locator("#outbox-list .error").wait_for()
    assert page.inner_text("#outbox-count") == "1"
    assert Visit.objects.count() == 0
    shot(page, "field-offline-refused")

    # Back in Zhang's grid (a mistake undone): "Send now" tries the refused visit again.
    move(world.ea, world.grid_a)
    page.click("#outbox-send")
    page.locator("#outbox").wait_for(state="hidden")
    assert Visit.objects.get().note == "先存着"

    keep_offline(page, url, "不要了")
    move(world.ea, world.grid_b)
    page.context.set_offline(False)
    page.locator("#outbox-list .error").wait_for()
    page.click("#outbox-list button")
    page.locator("#outbox").wait_for(state="hidden")
    page.reload()
    assert page.locator("#outbox").is_hidden()
    assert list(Visit.objects.values_list("note", flat=True)) == ["先存着"]
