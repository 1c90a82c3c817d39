"""What the browser tests do again and again: sign in, read the page, keep a screenshot."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

from anjian.accounts.models import User
from anjian.enterprises.models import Enterprise
from anjian.regions.models import Grid, Region
from anjian.test import PASSWORD

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def shot(page: Page, name: str) -> None:
    """Save a full-page screenshot in e2e/artifacts/ (git-ignored) for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "-", name)
    page.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would, and land on the overview."""
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def nav_hrefs(page: Page) -> list[str]:
    return page.locator("#main-nav a").evaluate_all("els => els.map(e => e.getAttribute('href'))")


def listed_names(page: Page) -> list[str]:
    """Enterprise names in the list's table (the empty-list row has no link)."""
    return page.locator("#enterprise-table tbody td:first-child a").all_inner_texts()


@dataclass
class World:
    """The personas of anjian/test.py, committed so the live server can see them."""

    zone: Region
    grid_a: Grid
    grid_a2: Grid
    grid_b: Grid
    ea: Enterprise
    ea2: Enterprise
    eb: Enterprise
    users: dict[str, User]
