"""/api/v1/regions and /api/v1/grids: the ladder, the list shape, paging and query counts."""

from __future__ import annotations

import base64
from typing import Any

from django.utils import timezone

from anjian.accounts.models import ApiToken, User
from anjian.accounts.services import issue_token
from anjian.accounts.tests.helpers import bearer
from anjian.regions.models import Grid, RegionLevel
from anjian.test import World, make_grid, make_region


def stamped_bearer(user: User) -> dict[str, str]:
    """A token already marked as used, so a request makes no write to stamp it."""
    token, raw = issue_token(user)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return {"Authorization": f"Bearer {raw}"}


class GridDetailApiTests(World):
    def get(self, grid: Grid, user: User | None = None) -> Any:
        headers = bearer(user) if user else {}
        return self.client.get(f"/api/v1/grids/{grid.pk}", headers=headers)

    def test_anonymous_gets_401_json(self) -> None:
        r = self.get(self.grid_a)
        self.assertEqual(r.status_code, 401)
        self.assertEqual(set(r.json()), {"detail", "errors"})

    def test_grid_worker_of_another_grid_gets_404(self) -> None:
        r = self.get(self.grid_a, self.wang)
        self.assertEqual(r.status_code, 404)
        self.assertNotIn(self.grid_a.name, r.content.decode())

    def test_out_of_scope_and_missing_grids_answer_alike(self) -> None:
        headers = bearer(self.wang)
        hidden = self.client.get(f"/api/v1/grids/{self.grid_a.pk}", headers=headers)
        missing = self.client.get("/api/v1/grids/999999", headers=headers)
        self.assertEqual((hidden.status_code, hidden.json()), (missing.status_code, missing.json()))

    def test_officer_of_another_office_gets_404(self) -> None:
        self.assertEqual(self.get(self.grid_a, self.qian).status_code, 404)

    def test_roles_without_grids_get_404(self) -> None:
        for user in [self.sun, self.nobody]:
            with self.subTest(user=user.username):
                self.assertEqual(self.get(self.grid_a, user).status_code, 404)

    def test_department_member_gets_only_grids_of_referred_enterprises(self) -> None:
        self.assertEqual(self.get(self.grid_a, self.wu).status_code, 200)
        self.assertEqual(self.get(self.grid_b, self.wu).status_code, 404)

    def test_grid_worker_gets_their_grid_with_its_current_members(self) -> None:
        r = self.get(self.grid_a, self.zhang)
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(
            (body["id"], body["name"], body["office_id"], body["zone_id"]),
            (self.grid_a.pk, "杨桥第一网格", self.o1.pk, self.zone.pk),
        )
        self.assertEqual([m["user_id"] for m in body["members"]], [self.zhang.pk])
        self.assertEqual(body["members"][0]["role"], "worker")

    def test_officer_leader_and_zone_admin_get_the_grid(self) -> None:
        for user in [self.li, self.zhou, self.chen]:
            with self.subTest(user=user.username):
                self.assertEqual(self.get(self.grid_a, user).status_code, 200)

    def test_members_leave_out_ended_terms(self) -> None:
        Grid.objects.get(pk=self.grid_a.pk).assignments.update(ends_on="2021-01-31")
        r = self.get(self.grid_a, self.chen)
        self.assertEqual(r.json()["members"], [])

    def test_session_of_a_signed_in_browser_works_too(self) -> None:
        self.client.force_login(self.zhang)
        self.assertEqual(self.client.get(f"/api/v1/grids/{self.grid_a.pk}").status_code, 200)
        self.assertEqual(self.client.get(f"/api/v1/grids/{self.grid_b.pk}").status_code, 404)


class GridListApiTests(World):
    url = "/api/v1/grids"

    def ids(self, user: User, **params: str) -> list[int]:
        r = self.client.get(self.url, params, headers=bearer(user))
        self.assertEqual(r.status_code, 200)
        return [g["id"] for g in r.json()["items"]]

    def test_anonymous_gets_401_json(self) -> None:
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 401)
        self.assertEqual(r.json()["errors"], [])

    def test_each_role_lists_the_grids_in_its_scope(self) -> None:
        a, a2, b = self.grid_a.pk, self.grid_a2.pk, self.grid_b.pk
        expected = {
            "chen": [a, a2, b],
            "zhou": [a, a2, b],
            "li": [a, a2],
            "qian": [b],
            "zhang": [a],
            "wang": [b],
            "zhao": [a],
            "sun": [],
            "wu": [a],
            "nobody": [],
        }
        for username, grids in expected.items():
            with self.subTest(user=username):
                self.assertEqual(self.ids(User.objects.get(username=username)), grids)

    def test_filters_by_office_and_village_within_scope(self) -> None:
        self.assertEqual(self.ids(self.chen, office=str(self.o2.pk)), [self.grid_b.pk])
        self.assertEqual(
            self.ids(self.chen, village=str(self.v1.pk)), [self.grid_a.pk, self.grid_a2.pk]
        )
        # A filter cannot widen scope.
        self.assertEqual(self.ids(self.zhang, office=str(self.o2.pk)), [])

    def test_list_has_items_and_next_and_no_count_unless_asked(self) -> None:
        body = self.client.get(self.url, headers=bearer(self.chen)).json()
        self.assertEqual(set(body), {"items", "next"})
        self.assertIsNone(body["next"])
        self.assertEqual(
            set(body["items"][0]),
            {"id", "name", "code", "village_id", "office_id", "zone_id", "path"},
        )

    def test_with_count_counts_the_whole_scope_not_the_page(self) -> None:
        r = self.client.get(self.url, {"with_count": "true", "limit": "1"}, headers=bearer(self.li))
        body = r.json()
        self.assertEqual((len(body["items"]), body["count"]), (1, 2))

    def test_cursor_pages_through_without_gaps_or_repeats(self) -> None:
        for _ in range(3):
            make_grid(self.v1)
        headers = bearer(self.chen)
        seen: list[int] = []
        cursor = None
        for _ in range(10):
            params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
            body = self.client.get(self.url, params, headers=headers).json()
            seen += [g["id"] for g in body["items"]]
            cursor = body["next"]
            if cursor is None:
                break
        self.assertEqual(seen, list(Grid.objects.order_by("path").values_list("id", flat=True)))
        self.assertEqual(len(seen), 6)

    def test_limit_is_capped_at_200(self) -> None:
        village = make_region("大村", RegionLevel.VILLAGE, self.o1)
        Grid.objects.bulk_create(
            Grid(
                name=f"网格{i}",
                code=f"X{i:03d}",
                village=village,
                office=self.o1,
                zone=self.zone,
                path=f"{village.path}X{i:03d}.",
            )
            for i in range(205)
        )
        body = self.client.get(self.url, {"limit": "500"}, headers=bearer(self.chen)).json()
        self.assertEqual(len(body["items"]), 200)
        self.assertIsNotNone(body["next"])

    def test_limit_below_one_gives_one(self) -> None:
        body = self.client.get(self.url, {"limit": "0"}, headers=bearer(self.chen)).json()
        self.assertEqual(len(body["items"]), 1)

    def test_bad_cursor_is_400_naming_the_cursor(self) -> None:
        headers = bearer(self.chen)
        wrong_shape = base64.urlsafe_b64encode(b'{"a": 1}').decode().rstrip("=")
        not_an_id = base64.urlsafe_b64encode(b'["01.", "x"]').decode().rstrip("=")
        for cursor in ["not a cursor!", "e30", wrong_shape, not_an_id]:
            with self.subTest(cursor=cursor):
                r = self.client.get(self.url, {"cursor": cursor}, headers=headers)
                self.assertEqual(r.status_code, 400)
                self.assertEqual([e["field"] for e in r.json()["errors"]], ["cursor"])

    def test_non_numeric_limit_is_422_naming_it(self) -> None:
        r = self.client.get(self.url, {"limit": "lots"}, headers=bearer(self.chen))
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["field"], "limit")

    def test_query_count_does_not_grow_with_grids(self) -> None:
        headers = stamped_bearer(self.chen)
        # token + user with the admin's region (scope), the page
        with self.assertNumQueries(2):
            self.client.get(self.url, headers=headers)
        for _ in range(10):
            make_grid(self.v2)
        with self.assertNumQueries(2):
            r = self.client.get(self.url, headers=headers)
        self.assertEqual(len(r.json()["items"]), 13)

    def test_grid_worker_query_count(self) -> None:
        headers = stamped_bearer(self.zhang)
        # token + user, the current terms with their grids' paths (scope), the page
        with self.assertNumQueries(3):
            self.client.get(self.url, headers=headers)


class RegionApiTests(World):
    url = "/api/v1/regions"

    def names(self, user: User, **params: str) -> list[str]:
        r = self.client.get(self.url, params, headers=bearer(user))
        self.assertEqual(r.status_code, 200)
        return [g["name"] for g in r.json()["items"]]

    def test_anonymous_gets_401(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 401)
        self.assertEqual(self.client.get(f"{self.url}/{self.zone.pk}").status_code, 401)

    def test_officer_lists_the_chain_above_and_their_subtree_in_tree_order(self) -> None:
        self.assertEqual(self.names(self.li), ["示范区", "东城办事处", "杨桥村"])

    def test_grid_worker_of_b_sees_nothing_of_office_one(self) -> None:
        self.assertEqual(self.names(self.wang), ["示范区", "西城街道", "石塘社区"])

    def test_filters_by_level_and_parent(self) -> None:
        self.assertEqual(self.names(self.chen, level="office"), ["东城办事处", "西城街道"])
        self.assertEqual(self.names(self.chen, parent=str(self.o2.pk)), ["石塘社区"])

    def test_unknown_level_is_422_naming_it(self) -> None:
        r = self.client.get(self.url, {"level": "planet"}, headers=bearer(self.chen))
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["field"], "level")

    def test_region_detail_on_the_ladder(self) -> None:
        url = f"{self.url}/{self.v1.pk}"
        self.assertEqual(self.client.get(url, headers=bearer(self.wang)).status_code, 404)
        self.assertEqual(self.client.get(url, headers=bearer(self.qian)).status_code, 404)
        self.assertEqual(self.client.get(url, headers=bearer(self.nobody)).status_code, 404)
        r = self.client.get(url, headers=bearer(self.zhang))
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            r.json(),
            {
                "id": self.v1.pk,
                "name": "杨桥村",
                "code": "001",
                "level": "village",
                "parent_id": self.o1.pk,
                "path": "01.01.001.",
            },
        )

    def test_grid_worker_sees_the_zone_above_them_by_id(self) -> None:
        r = self.client.get(f"{self.url}/{self.zone.pk}", headers=bearer(self.wang))
        self.assertEqual(r.json()["level"], "zone")

    def test_region_list_pages_with_a_cursor(self) -> None:
        headers = bearer(self.chen)
        first = self.client.get(self.url, {"limit": "3"}, headers=headers).json()
        rest = self.client.get(
            self.url, {"limit": "3", "cursor": first["next"]}, headers=headers
        ).json()
        names = [r["name"] for r in first["items"] + rest["items"]]
        self.assertEqual(names, ["示范区", "东城办事处", "杨桥村", "西城街道", "石塘社区"])
        self.assertIsNone(rest["next"])

    def test_bad_cursor_is_400(self) -> None:
        r = self.client.get(self.url, {"cursor": "%%%"}, headers=bearer(self.chen))
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json()["errors"][0]["field"], "cursor")
