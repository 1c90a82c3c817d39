"""The registry in the browser: htmx filtering, the import's preview and commit, phone layout."""

from __future__ import annotations

import re

from playwright.sync_api import Page, Response

from anjian.enterprises.models import Enterprise, Sector
from anjian.lib import uscc
from anjian.test import make_enterprise
from e2e.browsing import World, listed_names, log_in, shot

CSV_HEADER = "企业名称,统一社会信用代码,所属网格,监管行业\n"


def is_results_swap(response: Response) -> bool:
    """The htmx request the filter form sends to redraw #results."""
    return "/enterprises/" in response.url and response.request.headers.get("hx-request") == "true"


def count_text(page: Page) -> str:
    return page.inner_text("#result-count").strip()


def test_filters_redraw_the_list_and_its_count(page: Page, world: World) -> None:
    make_enterprise(world.grid_b, "石塘服饰有限公司", sector=Sector.TEXTILE)
    make_enterprise(world.grid_a2, "杨桥包装制品厂", sector=Sector.LIGHT_INDUSTRY)
    log_in(page, world.users["zone_admin"].username)
    page.goto("/enterprises/")
    assert len(listed_names(page)) == 5
    assert re.search(r"\b5\b", count_text(page))
    shot(page, "filter-all")

    with page.expect_response(is_results_swap):
        page.select_option("#id_sector", Sector.TEXTILE.value)
    page.wait_for_function(
        "() => document.querySelectorAll('#enterprise-table tbody a').length == 2"
    )
    assert set(listed_names(page)) == {"石塘纺织有限公司", "石塘服饰有限公司"}
    assert re.search(r"\b2\b", count_text(page))
    assert "sector=textile" in page.url, "the filter is kept in the address (hx-push-url)"
    shot(page, "filter-sector")

    with page.expect_response(is_results_swap):
        page.fill("#id_q", "服饰")
        page.press("#id_q", "Enter")
    page.wait_for_function(
        "() => document.querySelectorAll('#enterprise-table tbody a').length == 1"
    )
    assert listed_names(page) == ["石塘服饰有限公司"]
    assert re.search(r"\b1\b", count_text(page))
    shot(page, "filter-sector-and-search")

    with page.expect_response(is_results_swap):
        page.fill("#id_q", "不存在的企业")
        page.press("#id_q", "Enter")
    page.wait_for_function(
        "() => document.querySelectorAll('#enterprise-table tbody a').length == 0"
    )
    assert re.search(r"\b0\b", count_text(page))
    shot(page, "filter-no-match")


def _upload(page: Page, name: str, content: str) -> None:
    page.goto("/enterprises/import/")
    page.set_input_files(
        "#id_file", files=[{"name": name, "mimeType": "text/csv", "buffer": content.encode()}]
    )
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r"/enterprises/import/\d+/$"))


def test_import_shows_bad_rows_then_imports_the_corrected_file(page: Page, world: World) -> None:
    good = uscc.complete("91320500MA1E2E001")
    fixed = uscc.complete("91320500MA1E2E002")
    wrong_check = uscc.ALPHABET[(uscc.ALPHABET.index(fixed[-1]) + 1) % len(uscc.ALPHABET)]
    bad = fixed[:-1] + wrong_check
    names = ["新锐精密机械有限公司", "华联五金制品厂"]
    log_in(page, world.users["officer"].username)

    _upload(
        page,
        "registry.csv",
        CSV_HEADER + f"{names[0]},{good},GA,machinery\n{names[1]},{bad},GA2,machinery\n",
    )
    shot(page, "import-preview-with-errors")
    errors = page.locator("#row-errors tbody tr")
    assert errors.count() == 1
    row, column, message = errors.first.locator("td").all_inner_texts()
    assert (row, column) == ("3", "统一社会信用代码")
    assert fixed[-1] in message, "the message names the right check character"
    assert page.locator("#commit-form").count() == 0
    assert not Enterprise.objects.filter(name__in=names).exists()

    _upload(
        page,
        "registry-fixed.csv",
        CSV_HEADER + f"{names[0]},{good},GA,machinery\n{names[1]},{fixed},GA2,machinery\n",
    )
    shot(page, "import-preview-ok")
    assert page.locator("#row-errors").count() == 0
    page.click("#commit-form button[type=submit]")
    page.wait_for_url(re.compile(r"/enterprises/$"))
    shot(page, "import-committed")
    assert page.locator(".alert-success").count() == 1
    assert set(names) <= set(listed_names(page))
    created = Enterprise.objects.filter(name__in=names).order_by("uscc")
    assert [(e.uscc, e.grid_id) for e in created] == [
        (good, world.grid_a.pk),
        (fixed, world.grid_a2.pk),
    ]


def test_pages_speak_chinese_by_default(page: Page, world: World) -> None:
    """Chinese whatever the browser's Accept-Language (officers often run English browsers).

    The text check needs the compiled zh-hans catalog (`make messages`, which `make test` runs).
    """
    page.context.set_extra_http_headers({"Accept-Language": "en-US,en;q=0.9"})
    response = page.goto("/login/")
    shot(page, "login-zh")
    assert response is not None and response.headers.get("content-language") == "zh-hans"
    assert page.get_attribute("html", "lang") == "zh-hans"
    assert "登录" in page.inner_text("h1"), "is the zh-hans catalog compiled? (make messages)"


def test_the_language_switch_turns_english_on_and_keeps_it(page: Page, world: World) -> None:
    page.goto("/login/")
    with page.expect_navigation():
        page.select_option("#language-form select", "en")
    shot(page, "login-en")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("h1") == "Sign in"
    log_in(page, world.users["grid_worker"].username)
    assert page.get_attribute("html", "lang") == "en", "the choice outlives the sign-in"


def test_grid_worker_list_fits_a_phone(phone_page: Page, world: World) -> None:
    page = phone_page
    log_in(page, world.users["grid_worker"].username)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto("/enterprises/")
    page.wait_for_load_state("networkidle")
    shot(page, "phone-enterprises")
    assert listed_names(page) == ["杨桥精密机械有限公司"]
    assert [f for f in failed if "favicon" not in f] == [], "every stylesheet and script loads"
    width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert width <= viewport + 1, f"the page is {width}px wide on a {viewport}px phone"
