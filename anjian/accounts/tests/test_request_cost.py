"""What every request pays before its own work: the session, the user and the scope.

The user of a request is loaded with its region (accounts.backends and
services.user_for_token, through scope.with_scope_columns), so an area role's scope costs no
query of its own; a bearer token reads no session. Nothing is kept between requests: a new
region, an ended grid term or a deactivation counts from the very next request.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.accounts.models import Role, User
from anjian.accounts.scope import forget_scope, scope_of, with_scope_columns
from anjian.accounts.services import update_person
from anjian.hazards.models import Hazard
from anjian.hazards.tests.factories import HazardWorld, general
from anjian.hazards.workflow import register_hazard
from anjian.regions.models import GridAssignment
from anjian.regions.tests.test_api import stamped_bearer
from anjian.test import make_user

URL = "/api/v1/hazards"


class RequestCostWorld(HazardWorld):
    in_o1: Hazard
    in_o2: Hazard

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.in_o1 = register_hazard(cls.ea, general(name="一号办隐患"), by=cls.li)
        cls.in_o2 = register_hazard(cls.eb, general(name="二号办隐患"), by=cls.qian)

    def ledger(self, **headers: Any) -> Any:
        return self.client.get(URL, headers=headers)

    def ids(self, **headers: Any) -> set[int]:
        r = self.ledger(**headers)
        self.assertEqual(r.status_code, 200, r.content)
        return {row["id"] for row in r.json()["items"]}

    def captured(self, **headers: Any) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            r = self.ledger(**headers)
        self.assertEqual(r.status_code, 200, r.content)
        return [q["sql"] for q in ctx.captured_queries]


class QueriesPerRequestTests(RequestCostWorld):
    def test_area_roles_by_session_pay_session_user_and_the_page(self) -> None:
        for user in (self.chen, self.li, self.zhou):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                sql = self.captured()
                self.assertEqual(len(sql), 3, "\n".join(sql))
                self.assertIn('"django_session"', sql[0])
                # The user and its region in one query (an office's zone is its parent).
                self.assertIn('FROM "accounts_user"', sql[1])
                self.assertIn('"regions_region"', sql[1])
                self.assertIn('"hazards_hazard"', sql[2])

    def test_a_bearer_token_reads_no_session(self) -> None:
        headers = stamped_bearer(self.li)
        sql = self.captured(**headers)
        # The token with its user and region; the page.
        self.assertEqual(len(sql), 2, "\n".join(sql))
        self.assertFalse([s for s in sql if "django_session" in s], sql)
        self.assertIn('"accounts_apitoken"', sql[0])
        self.assertIn('"regions_region"', sql[0])

    def test_a_grid_worker_pays_one_query_for_their_grids(self) -> None:
        self.client.force_login(self.zhang)
        sql = self.captured()
        # session, user, the current terms with their grids, the page
        self.assertEqual(len(sql), 4, "\n".join(sql))
        self.assertIn('"regions_gridassignment"', sql[2])

    def test_experts_and_departments_pay_one_query_for_their_scope(self) -> None:
        for user in (self.sun, self.wu):
            with self.subTest(user=user.username):
                fresh = User.objects.get(pk=user.pk)
                with self.assertNumQueries(1):
                    scope = scope_of(fresh)
                self.assertEqual(scope.zone_id, self.zone.pk)
                self.assertEqual(scope.paths, (self.zone.path,))

    def test_the_scope_is_computed_once_per_request(self) -> None:
        # The ledger page asks for the scope for the ledger, the office, grid and enterprise
        # choices and the navigation: the user is read once, with its region, and
        # no query looks a region up by id or path (the scope's own lookups).
        self.client.force_login(self.li)
        with CaptureQueriesContext(connection) as ctx:
            r = self.client.get("/hazards/")
        self.assertEqual(r.status_code, 200)
        sql = [q["sql"] for q in ctx.captured_queries]
        self.assertEqual(len([s for s in sql if 'FROM "accounts_user"' in s]), 1, sql)
        lookups = [
            s
            for s in sql
            if 'WHERE "regions_region"."id" =' in s or 'WHERE "regions_region"."path" =' in s
        ]
        self.assertEqual(lookups, [])


class ScopeColumnsTests(RequestCostWorld):
    def test_an_officer_loaded_with_scope_columns_needs_no_query(self) -> None:
        user = with_scope_columns(User.objects.filter(pk=self.li.pk)).get()
        with self.assertNumQueries(0):
            scope = scope_of(user)
        self.assertEqual((scope.zone_id, scope.region_id), (self.zone.pk, self.o1.pk))

    def test_a_user_loaded_plainly_gets_the_same_scope(self) -> None:
        plain = User.objects.get(pk=self.li.pk)
        with self.assertNumQueries(1):  # the region (an office's zone is its parent)
            scope = scope_of(plain)
        loaded = scope_of(with_scope_columns(User.objects.filter(pk=self.li.pk)).get())
        self.assertEqual(scope, loaded)

    def test_a_region_changed_on_the_instance_counts_once_the_scope_is_forgotten(self) -> None:
        user = with_scope_columns(User.objects.filter(pk=self.li.pk)).get()
        self.assertEqual(scope_of(user).region_id, self.o1.pk)
        user.region = self.o2
        forget_scope(user)
        scope = scope_of(user)
        self.assertEqual((scope.region_id, scope.zone_id), (self.o2.pk, self.zone.pk))
        self.assertEqual(scope.region_path, self.o2.path)

    def test_a_village_leader_finds_the_zone_at_the_root_of_the_path(self) -> None:
        leader = make_user("village-leader", Role.LEADER, region=self.v1)
        user = with_scope_columns(User.objects.filter(pk=leader.pk)).get()
        with self.assertNumQueries(1):  # the zone by its path: two levels up
            scope = scope_of(user)
        self.assertEqual((scope.region_id, scope.zone_id), (self.v1.pk, self.zone.pk))

    def test_the_zone_of_every_region_level(self) -> None:
        for region in (self.zone, self.o1, self.o2, self.v1, self.v2):
            with self.subTest(region=region.path):
                person = make_user(f"leader-{region.pk}", Role.LEADER, region=region)
                scope = scope_of(with_scope_columns(User.objects.filter(pk=person.pk)).get())
                self.assertEqual(scope.zone_id, self.zone.pk)
                self.assertEqual(scope.region_level, region.level)


class ChangesCountOnTheNextRequestTests(RequestCostWorld):
    def test_a_new_region_counts_on_the_next_session_request(self) -> None:
        self.client.force_login(self.li)
        self.assertEqual(self.ids(), {self.in_o1.pk})
        update_person(self.li, {"region": self.o2}, by=self.chen)
        self.assertEqual(self.ids(), {self.in_o2.pk})

    def test_a_new_region_counts_on_the_next_token_request(self) -> None:
        headers = stamped_bearer(self.li)
        self.assertEqual(self.ids(**headers), {self.in_o1.pk})
        update_person(self.li, {"region": self.o2}, by=self.chen)
        self.assertEqual(self.ids(**headers), {self.in_o2.pk})

    def test_a_new_role_counts_on_the_next_request(self) -> None:
        self.client.force_login(self.qian)
        self.assertEqual(self.ids(), {self.in_o2.pk})
        update_person(self.qian, {"role": "leader", "region": self.zone}, by=self.chen)
        self.assertEqual(self.ids(), {self.in_o1.pk, self.in_o2.pk})

    def test_deactivation_counts_on_the_next_request(self) -> None:
        headers = stamped_bearer(self.li)
        self.client.force_login(self.li)
        self.assertEqual(self.ledger().status_code, 200)
        self.assertEqual(self.ledger(**headers).status_code, 200)
        update_person(self.li, {"is_active": False}, by=self.chen)
        self.assertEqual(self.ledger().status_code, 401)
        self.client.logout()
        self.assertEqual(self.ledger(**headers).status_code, 401)

    def test_an_ended_grid_term_counts_on_the_next_request(self) -> None:
        self.client.force_login(self.zhang)
        self.assertEqual(self.ids(), {self.in_o1.pk})
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        GridAssignment.objects.filter(user=self.zhang).update(ends_on=yesterday)
        self.assertEqual(self.ids(), set())
