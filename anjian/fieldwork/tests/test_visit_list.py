"""The visit list (/field/visits/ and GET /api/v1/visits): one filter form for both faces, the
viewer's scope, and clear refusals of bad filters."""

from __future__ import annotations

import datetime

from django.utils import timezone

from anjian.accounts.models import User
from anjian.coverage.tests.test_coverage import visit
from anjian.fieldwork.models import Outcome, VisitKind
from anjian.hazards.tests.factories import HazardWorld
from anjian.test import error_fields

URL = "/api/v1/visits"
PAGE = "/field/visits/"


class VisitListTests(HazardWorld):
    def setUp(self) -> None:
        super().setUp()
        today = timezone.localdate()
        self.day = today - datetime.timedelta(days=3)
        self.patrol_a = visit(self.ea, self.zhang, self.day)
        self.locked_a2 = visit(
            self.ea2, self.zhang, today - datetime.timedelta(days=40), Outcome.LOCKED
        )
        self.inspection_b = visit(self.eb, self.qian, self.day, kind=VisitKind.INSPECTION)
        self.self_check = visit(self.ea, self.zhao, today, kind=VisitKind.SELF_INSPECTION)

    def ids(self, user: User, query: str = "") -> list[int]:
        self.client.force_login(user)
        r = self.client.get(URL + query)
        self.assertEqual(r.status_code, 200, r.content)
        return [row["id"] for row in r.json()["items"]]

    def test_anonymous_is_refused_and_sees_nothing(self) -> None:
        self.assertEqual(self.client.get(URL).status_code, 401)
        self.assertEqual(self.client.get(PAGE).status_code, 302)

    def test_each_persona_sees_the_visits_in_its_scope_newest_first(self) -> None:
        every = [self.self_check.pk, self.inspection_b.pk, self.patrol_a.pk, self.locked_a2.pk]
        self.assertEqual(self.ids(self.chen), every)
        # An officer sees their office; a grid worker their grid; the enterprise its own.
        self.assertEqual(
            self.ids(self.li), [self.self_check.pk, self.patrol_a.pk, self.locked_a2.pk]
        )
        self.assertEqual(self.ids(self.qian), [self.inspection_b.pk])
        self.assertEqual(self.ids(self.zhang), [self.self_check.pk, self.patrol_a.pk])
        self.assertEqual(self.ids(self.wang), [self.inspection_b.pk])
        self.assertEqual(self.ids(self.zhao), [self.self_check.pk, self.patrol_a.pk])

    def test_filters(self) -> None:
        cases = {
            "?kind=patrol": [self.patrol_a.pk, self.locked_a2.pk],
            "?outcome=checks&kind=patrol": [self.patrol_a.pk],
            "?outcome=other": [self.locked_a2.pk],
            "?outcome=locked": [self.locked_a2.pk],
            f"?office={self.o2.pk}": [self.inspection_b.pk],
            f"?grid={self.grid_a2.pk}": [self.locked_a2.pk],
            f"?enterprise={self.ea.pk}&kind=self_inspection": [self.self_check.pk],
            f"?visited_from={self.day}&visited_to={self.day}": [
                self.inspection_b.pk,
                self.patrol_a.pk,
            ],
        }
        for query, expected in cases.items():
            with self.subTest(query=query):
                self.assertEqual(self.ids(self.chen, query), expected)
        self.assertEqual(self.ids(self.zhang, "?mine=true"), [self.patrol_a.pk])
        self.assertEqual(self.ids(self.chen, "?mine=true"), [])

    def test_with_count_counts_the_filtered_visits(self) -> None:
        self.client.force_login(self.chen)
        body = self.client.get(URL + "?kind=patrol&with_count=true").json()
        self.assertEqual(body["count"], 2)
        self.assertNotIn("count", self.client.get(URL + "?kind=patrol").json())

    def test_bad_filters_are_refused_naming_the_field(self) -> None:
        self.client.force_login(self.li)
        cases = {
            "?kind=walk": {"kind"},
            f"?office={self.o2.pk}": {"office"},  # another office: not in this officer's scope
            "?grid=99999999999999999999": {"grid"},
            # past the database's integer range: the filter bar's grid choices must not ask
            "?office=99999999999999999999": {"office"},
            "?visited_from=2026-13-01": {"visited_from"},
            f"?visited_from={self.day}&visited_to={self.day - datetime.timedelta(days=1)}": {
                "visited_to"
            },
            "?enterprise=abc": {"enterprise"},
        }
        for query, fields in cases.items():
            with self.subTest(query=query):
                r = self.client.get(URL + query)
                self.assertIn(r.status_code, (400, 422), r.content)
                if r.status_code == 422:
                    self.assertEqual(error_fields(r), fields)
                page = self.client.get(PAGE + query)
                self.assertEqual(page.status_code, 200)
                self.assertFalse(page.context["filter"].is_valid())
                self.assertEqual(list(page.context["page"].items), [])

    def test_page_lists_what_the_api_lists(self) -> None:
        for user in (self.chen, self.li, self.zhang, self.zhao):
            for query in ("", "?kind=patrol", f"?office={self.o1.pk}&outcome=checks"):
                with self.subTest(user=user.username, query=query):
                    api = self.ids(user, query)
                    page = self.client.get(PAGE + query)
                    self.assertEqual([v.pk for v in page.context["page"].items], api)

    def test_page_links_each_visit_and_its_enterprise(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.get(PAGE + "?kind=patrol")
        self.assertContains(r, f'href="/field/visits/{self.patrol_a.pk}/"')
        self.assertContains(r, f'href="/enterprises/{self.ea.pk}/"')
        self.assertNotContains(r, f'href="/field/visits/{self.inspection_b.pk}/"')
        partial = self.client.get(PAGE + "?kind=patrol", headers={"HX-Request": "true"})
        self.assertNotContains(partial, "<html")
        self.assertContains(partial, 'id="visit-table"')
