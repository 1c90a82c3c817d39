"""Bringing an old ledger in through the browser: a messy file, its row errors, the choice on
duplicates, the commit, and the imported hazards in the ledger with their history."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

from openpyxl import Workbook
from playwright.sync_api import Page

from anjian.hazards.models import Hazard, Status
from anjian.hazards.workflow import register_hazard
from anjian.imports.models import ImportBatch
from e2e.browsing import World, log_in, shot

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ledger_file(rows: list[list[Any]]) -> bytes:
    """A ledger kept by hand: a title row, group headings merged over a second header row."""
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(["东城办事处2025年隐患排查治理台账", None, None, None, None, None, None])
    sheet.append(["企业名称", "隐患情况", None, None, "整改情况", None, None])
    sheet.append([None, "存在问题", "隐患等级", "检查时间", "整改期限", "是否整改", "整改完成时间"])
    for row in rows:
        sheet.append(row)
    for merged in ("A1:G1", "A2:A3", "B2:D2", "E2:G2"):
        sheet.merge_cells(merged)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(page: Page, name: str, content: bytes) -> None:
    page.goto("/hazards/")
    page.click("#import-link")
    page.wait_for_url(re.compile(r"/hazards/import/$"))
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": XLSX, "buffer": content}])
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r"/hazards/import/\d+/$"))


def test_import_a_messy_ledger_and_find_its_hazards_with_their_history(
    page: Page, world: World
) -> None:
    officer = world.users["officer"]
    recent = datetime.date.today() - datetime.timedelta(days=2)
    register_hazard(
        world.ea,
        {
            "name": "二楼消防通道堆放纸箱",
            "level": "0",
            "deadline": recent + datetime.timedelta(days=30),
            "found_on": recent,
        },
        by=officer,
    )
    d = datetime.date(2025, 3, 4)
    good = [
        [world.ea.name, "配电箱前堆放杂物", "一般", d, datetime.date(2025, 3, 20), "是", d],
        [world.ea2.name, "砂轮机防护罩缺失", "重大隐患", d, datetime.date(2025, 4, 30), "否", None],
        [world.ea.name, "二楼消防通道堆放纸箱。", "一般", recent, None, "否", None],
    ]
    messy = [
        *good,
        ["杨桥精密机械", "灭火器过期", "一般", d, None, "否", None],  # no such enterprise
        [world.eb.name, "电线私拉乱接", "一般", d, None, "否", None],  # not in Li's office
        [world.ea2.name, "安全出口上锁", "特别重大", "2025年13月1日", None, "否", None],
    ]
    log_in(page, officer.username)
    upload(page, "东城台账.xlsx", ledger_file(messy))
    shot(page, "hazard-import-errors")
    assert ImportBatch.objects.latest("id").report["header_row"] == 3
    assert "3" in page.inner_text("#import-summary")
    errors = page.locator("#row-errors tbody tr").all_inner_texts()
    assert any(e.startswith("7\t企业名称") and "杨桥精密机械" in e for e in errors), errors
    assert any(e.startswith("8\t企业名称") and world.eb.name in e for e in errors), errors
    assert any(e.startswith("9\t隐患等级") and "特别重大" in e for e in errors), errors
    assert any(e.startswith("9\t检查时间") for e in errors), errors
    assert page.locator("#commit-form").count() == 0, "a file with errors cannot be committed"
    assert not Hazard.objects.filter(imported=True).exists()

    upload(page, "东城台账.xlsx", ledger_file(good))
    shot(page, "hazard-import-duplicates")
    duplicates = page.locator("#duplicates tbody tr").all_inner_texts()
    assert len(duplicates) == 1 and duplicates[0].startswith("6\t"), duplicates
    page.click("#commit-form button[type=submit]")  # no choice made: refused, nothing written
    page.wait_for_url(re.compile(r"/hazards/import/\d+/$"))
    assert "跳过或保留" in page.inner_text(".alert-danger")
    assert not Hazard.objects.filter(imported=True).exists()
    page.check("#commit-form input[name=on_duplicate][value=skip]")
    page.click("#commit-form button[type=submit]")
    page.wait_for_url(re.compile(r"/hazards/$"))
    shot(page, "hazard-import-done")
    assert "已导入 2 条隐患" in page.inner_text("body")

    imported = {h.name: h for h in Hazard.objects.filter(imported=True)}
    assert set(imported) == {"配电箱前堆放杂物", "砂轮机防护罩缺失"}
    assert imported["配电箱前堆放杂物"].status == Status.CLOSED
    rows = page.locator("#hazard-table tbody tr[data-hazard]")
    listed = {rows.nth(i).get_attribute("data-hazard") for i in range(rows.count())}
    assert {str(h.pk) for h in imported.values()} <= listed

    page.locator(f"tr[data-hazard='{imported['配电箱前堆放杂物'].pk}'] .hazard-name a").click()
    page.wait_for_url(re.compile(r"/hazards/\d+/$"))
    shot(page, "hazard-import-timeline")
    timeline = page.locator("#timeline li")
    assert timeline.count() == 3
    assert [timeline.nth(i).get_attribute("data-action") for i in range(3)] == [
        "register",
        "submit",
        "accept",
    ]
    assert (
        page.locator("#timeline .imported-from")
        .first.inner_text()
        .startswith("导入自 东城台账.xlsx 第 4 行")
    )
