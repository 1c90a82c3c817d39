"""Each role signs in through the form and sees its own navigation and its own registry."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from e2e.browsing import World, listed_names, log_in, nav_hrefs, shot

OVERVIEW, ENTERPRISES, IMPORT, REGIONS, PEOPLE, AUDIT = (
    "/",
    "/enterprises/",
    "/enterprises/import/",
    "/regions/",
    "/accounts/people/",
    "/audit/",
)
# Links this test knows about; entries added later for other features are not judged here.
KNOWN = {OVERVIEW, ENTERPRISES, IMPORT, REGIONS, PEOPLE, AUDIT}
EVERYONE = [OVERVIEW, ENTERPRISES, REGIONS]

# role -> (navigation links, enterprises listed)
EXPECTED: dict[str, tuple[list[str], set[str]]] = {
    "zone_admin": (
        [OVERVIEW, ENTERPRISES, IMPORT, REGIONS, PEOPLE, AUDIT],
        {"杨桥精密机械有限公司", "杨桥五金制品厂", "石塘纺织有限公司"},
    ),
    "officer": (
        [OVERVIEW, ENTERPRISES, IMPORT, REGIONS],
        {"杨桥精密机械有限公司", "杨桥五金制品厂"},
    ),
    "grid_worker": (EVERYONE, {"杨桥精密机械有限公司"}),
    "enterprise": (EVERYONE, {"杨桥精密机械有限公司"}),
    # Experts reach enterprises through engagements, which do not exist yet: nothing listed.
    "expert": (EVERYONE, set()),
    "leader": (EVERYONE, {"杨桥精密机械有限公司", "杨桥五金制品厂", "石塘纺织有限公司"}),
    # The fire department oversees the one enterprise it is the competent department of.
    "department": (EVERYONE, {"杨桥精密机械有限公司"}),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_its_navigation_and_its_registry(
    page: Page, world: World, role: str
) -> None:
    links, names = EXPECTED[role]
    log_in(page, world.users[role].username)
    shot(page, f"nav-{role}-overview")

    assert [h for h in nav_hrefs(page) if h in KNOWN] == links

    page.click(f"#main-nav a[href='{ENTERPRISES}']")
    page.wait_for_url(f"**{ENTERPRISES}")
    shot(page, f"nav-{role}-enterprises")
    assert set(listed_names(page)) == names
    # The import page is linked twice (navigation and the list's button) or not at all.
    assert page.locator(f"a[href='{IMPORT}']").count() == (2 if IMPORT in links else 0)


def test_grid_worker_of_another_grid_sees_nothing_of_grid_a(page: Page, world: World) -> None:
    log_in(page, world.users["other_grid_worker"].username)
    page.goto(ENTERPRISES)
    shot(page, "nav-other-grid-worker-enterprises")
    assert listed_names(page) == ["石塘纺织有限公司"]
    response = page.goto(f"/enterprises/{world.ea.pk}/")
    assert response is not None and response.status == 404
