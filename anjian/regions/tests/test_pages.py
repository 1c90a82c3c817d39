"""The regions tree and grid pages, on the permission ladder."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse

from anjian.regions.models import RegionLevel
from anjian.test import World, assign, make_enterprise, make_grid, make_region, make_user


def main_part(html: bytes) -> bytes:
    """What the page says (its <main>), without the header that echoes the URL."""
    found = re.search(rb"<main.*</main>", html, re.S)
    assert found is not None
    return found.group(0)


class TreePageTests(World):
    url = "/regions/"

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, "/login/?next=/regions/", fetch_redirect_response=False)

    def test_user_without_role_is_refused(self) -> None:
        self.client.force_login(self.nobody)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_grid_worker_sees_their_grid_and_not_another(self) -> None:
        self.client.force_login(self.wang)
        r = self.client.get(self.url)
        self.assertContains(r, self.grid_b.name)
        self.assertContains(r, reverse("regions:grid", args=[self.grid_b.pk]))
        self.assertNotContains(r, self.grid_a.name)
        self.assertNotContains(r, self.v1.name)

    def test_officer_sees_their_office_only(self) -> None:
        self.client.force_login(self.li)
        r = self.client.get(self.url)
        self.assertContains(r, self.grid_a.name)
        self.assertContains(r, self.grid_a2.name)
        self.assertNotContains(r, self.grid_b.name)
        self.assertNotContains(r, self.o2.name)

    def test_zone_admin_sees_every_grid_with_its_enterprise_count(self) -> None:
        make_enterprise(self.grid_a)
        self.client.force_login(self.chen)
        r = self.client.get(self.url)
        counts = {g.name: g.enterprise_count for _r, gs in r.context["rows"] for g in gs}
        self.assertEqual(counts, {"杨桥第一网格": 2, "杨桥第二网格": 1, "石塘第一网格": 1})

    def test_tree_lists_regions_in_path_order(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.get(self.url)
        names = [region.name for region, _grids in r.context["rows"]]
        self.assertEqual(names, ["示范区", "东城办事处", "杨桥村", "西城街道", "石塘社区"])

    def test_department_member_sees_only_grids_of_referred_enterprises(self) -> None:
        self.client.force_login(self.wu)
        r = self.client.get(self.url)
        self.assertContains(r, self.zone.name)
        self.assertEqual([g for _r, gs in r.context["rows"] for g in gs], [self.grid_a])

    def test_query_count_does_not_grow_with_grids(self) -> None:
        self.client.force_login(self.chen)
        with self.assertNumQueries(4):
            self.client.get(self.url)
        village = make_region("新村", RegionLevel.VILLAGE, self.o2)
        for _ in range(5):
            make_enterprise(make_grid(village))
            make_grid(self.v1)
        with self.assertNumQueries(4):
            r = self.client.get(self.url)
        self.assertEqual(sum(len(gs) for _r, gs in r.context["rows"]), 13)


class GridPageTests(World):
    def url(self, grid_id: int) -> str:
        return reverse("regions:grid", args=[grid_id])

    def test_anonymous_is_sent_to_login(self) -> None:
        url = self.url(self.grid_a.pk)
        r = self.client.get(url)
        self.assertRedirects(r, f"/login/?next={url}", fetch_redirect_response=False)

    def test_user_without_role_is_refused(self) -> None:
        self.client.force_login(self.nobody)
        self.assertEqual(self.client.get(self.url(self.grid_a.pk)).status_code, 403)

    def test_grid_worker_of_another_grid_gets_not_found(self) -> None:
        self.client.force_login(self.wang)
        r = self.client.get(self.url(self.grid_a.pk))
        self.assertEqual(r.status_code, 404)
        self.assertNotContains(r, self.grid_a.name, status_code=404)

    def test_officer_of_another_office_gets_not_found(self) -> None:
        self.client.force_login(self.qian)
        self.assertEqual(self.client.get(self.url(self.grid_a.pk)).status_code, 404)

    def test_grid_out_of_scope_looks_like_one_that_does_not_exist(self) -> None:
        self.client.force_login(self.wang)
        hidden = self.client.get(self.url(self.grid_a.pk))
        missing = self.client.get(self.url(999999))
        self.assertEqual((hidden.status_code, missing.status_code), (404, 404))
        self.assertEqual(main_part(hidden.content), main_part(missing.content))

    def test_expert_and_department_member_off_their_enterprises_get_not_found(self) -> None:
        self.client.force_login(self.wu)
        self.assertEqual(self.client.get(self.url(self.grid_b.pk)).status_code, 404)
        for user in [self.sun]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url(self.grid_a.pk)).status_code, 404)

    def test_grid_worker_sees_their_own_grid(self) -> None:
        self.client.force_login(self.zhang)
        r = self.client.get(self.url(self.grid_a.pk))
        self.assertContains(r, self.grid_a.name)
        self.assertContains(r, "zhang")
        self.assertEqual(r.context["enterprise_count"], 1)

    def test_officer_and_zone_admin_see_the_grid(self) -> None:
        for user in [self.li, self.chen, self.zhou]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                r = self.client.get(self.url(self.grid_a.pk))
                self.assertContains(r, f"{self.zone.name} › {self.o1.name} › {self.v1.name}")

    def test_page_keeps_the_history_of_ended_terms(self) -> None:
        former = make_user("former", "grid_worker", display_name="老网格员")
        assign(
            former,
            self.grid_a,
            starts_on=datetime.date(2021, 1, 1),
            ends_on=datetime.date(2022, 12, 31),
        )
        self.client.force_login(self.chen)
        r = self.client.get(self.url(self.grid_a.pk))
        self.assertContains(r, "老网格员")
        self.assertContains(r, "2022-12-31")
