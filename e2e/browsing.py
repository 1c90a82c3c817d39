"""What the browser tests do again and again: sign in, read the page, keep a screenshot."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import FilePayload, Page

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


def camera_photo(page: Page, name: str, text: str = "") -> list[FilePayload]:
    """A real JPEG, drawn by the browser's canvas, as a phone's camera would hand it over
    (so screenshots show thumbnails, and the upload passes the server's content check)."""
    data_url = page.evaluate(
        """text => {
            const c = document.createElement("canvas");
            c.width = 320; c.height = 240;
            const g = c.getContext("2d");
            g.fillStyle = "#5a6b7c"; g.fillRect(0, 0, 320, 240);
            g.fillStyle = "#ffc107"; g.fillRect(20, 150, 280, 60);
            g.fillStyle = "#fff"; g.font = "28px sans-serif"; g.fillText(text, 24, 60);
            return c.toDataURL("image/jpeg", 0.8);
        }""",
        text or name,
    )
    content = base64.b64decode(data_url.split(",", 1)[1])
    return [{"name": name, "mimeType": "image/jpeg", "buffer": content}]
