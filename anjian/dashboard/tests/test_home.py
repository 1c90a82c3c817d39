"""Each role's home page: its own figures over its own scope, each a link to its list, and the
same figures the API answers."""

from __future__ import annotations

import re
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anjian.accounts.models import User
from anjian.dashboard.tests.test_figures import FigureWorld
from anjian.enterprises.models import RiskClass, Status
from anjian.regions.models import RegionLevel
from anjian.test import make_enterprise, make_grid, make_region

HREF = re.compile(r'href="([^"]+)"')
MARKED = re.compile(r'data-figure="([^"]+)" data-value="([^"]*)"')


class HomeTests(FigureWorld):
    def home(self, user: User, query: str = "") -> Any:
        self.client.force_login(user)
        r = self.client.get("/" + query)
        self.assertEqual(r.status_code, 200)
        return r

    def figure(self, user: User, key: str) -> Any:
        home = self.home(user).context["home"]
        return {f.key: f.value for f in home.figures()}[key]

    def test_anonymous_is_sent_to_login(self) -> None:
        self.assertRedirects(self.client.get("/"), "/login/?next=/", fetch_redirect_response=False)

    def test_each_role_gets_its_own_home(self) -> None:
        templates = {
            "chen": "dashboard/home_area.html",
            "zhou": "dashboard/home_area.html",
            "li": "dashboard/home_area.html",
            "zhang": "dashboard/home_grid.html",
            "zhao": "dashboard/home_enterprise.html",
            "sun": "dashboard/home_referred.html",
            "wu": "dashboard/home_referred.html",
            "nobody": "dashboard/home_none.html",
        }
        for username, template in templates.items():
            with self.subTest(user=username):
                r = self.home(User.objects.get(username=username))
                self.assertIn(template, [t.name for t in r.templates])

    def test_each_role_counts_only_its_scope(self) -> None:
        # The registry as each reads it: the zone (4 with the tenant), an office, the
        # enterprises engaged or supervised.
        expected = {"chen": 4, "zhou": 4, "li": 3, "qian": 1, "sun": 1, "wu": 1}
        for username, n in expected.items():
            with self.subTest(user=username):
                self.assertEqual(
                    self.figure(User.objects.get(username=username), "enterprises.all"), n
                )

    def test_a_grid_worker_sees_nothing_of_another_grid(self) -> None:
        r = self.home(self.wang)
        self.assertNotContains(r, self.ea.name)
        home = r.context["home"]
        for f in home.figures():
            with self.subTest(key=f.key):
                self.assertNotIn(f"grid={self.grid_a.pk}", f.api or "")

    def test_risk_colours_and_tenants(self) -> None:
        make_enterprise(self.grid_a, risk_class=RiskClass.RED)
        make_enterprise(self.grid_a, risk_class=RiskClass.ORANGE, status=Status.CLOSED)
        self.assertEqual(self.figure(self.li, "enterprises.risk.red.all"), 2)
        self.assertEqual(self.figure(self.li, "enterprises.risk.orange.all"), 1)
        self.assertEqual(self.figure(self.li, "enterprises.tenants"), 1)

    def test_every_figure_on_the_page_is_a_link_to_its_list(self) -> None:
        r = self.home(self.chen)
        home = r.context["home"]
        links = set(HREF.findall(r.content.decode()))
        counted = [f for f in home.figures() if f.page]
        self.assertGreater(len(counted), 50)
        shown = [f for f in counted if f.page.replace("&", "&amp;") in links]
        # Every figure the board counted is shown with its link (the map's only as a shape).
        missing = {f.key for f in counted} - {f.key for f in shown}
        self.assertEqual(missing, set())

    def test_each_figure_link_says_which_figure_and_value_it_stands_for(self) -> None:
        # What the browser tests follow (e2e/test_home.py): each link's value is the figure's.
        r = self.home(self.chen)
        marked = dict(MARKED.findall(r.content.decode()))
        counted = {f.key: str(f.value) for f in r.context["home"].figures() if f.page}
        self.assertEqual(marked, counted)

    def test_the_page_shows_what_the_api_answers(self) -> None:
        for user in (self.chen, self.li, self.zhang, self.zhao, self.sun):
            with self.subTest(user=user.username):
                home = self.home(user).context["home"]
                api = {f["key"]: f["value"] for f in self.client.get("/api/v1/dashboard").json()}
                page = {f.key: f.value for f in home.figures()}
                self.assertEqual(
                    {k: float(v) if v is not None else None for k, v in page.items()},
                    {k: float(v) if v is not None else None for k, v in api.items()},
                )

    def test_the_office_table_names_link_to_each_office_and_mark_the_overdue(self) -> None:
        r = self.home(self.chen, "?period=2026")
        html = r.content.decode()
        table = html[
            html.index('id="table-offices"') : html.index(
                "</table>", html.index('id="table-offices"')
            )
        ]
        for office in (self.o1, self.o2):
            self.assertIn(f'<a href="?period=2026&amp;office={office.pk}">{office.name}</a>', table)
        home = r.context["home"]
        self.assertTrue(any(row["figures"]["overdue"].value for row in home.office_rows))
        for row in home.office_rows:
            overdue = row["figures"]["overdue"]
            marked = f'data-figure="{overdue.key}" data-value="{overdue.value}" class="text-danger"'
            with self.subTest(office=row["name"]):
                self.assertEqual(marked in table, bool(overdue.value))

    def test_an_office_focus_and_a_bad_period(self) -> None:
        r = self.home(self.chen, f"?office={self.o1.pk}")
        self.assertEqual(r.context["focus"], self.o1)
        self.assertContains(r, self.o1.name)
        self.client.force_login(self.li)
        self.assertEqual(self.client.get(f"/?office={self.o2.pk}").status_code, 404)
        r = self.home(self.chen, "?period=2026Q9")
        self.assertTrue(r.context["period_error"])

    def test_query_count_does_not_grow_with_enterprises_or_grids(self) -> None:
        self.client.force_login(self.li)
        self.client.get("/")
        cache.clear()  # each count asked of the database (statistics.versions)
        with CaptureQueriesContext(connection) as before:
            self.client.get("/")
        village = make_region("新村", RegionLevel.VILLAGE, self.o1)
        for _ in range(5):
            make_enterprise(make_grid(village))
        cache.clear()
        with CaptureQueriesContext(connection) as after:
            self.client.get("/")
        self.assertEqual(len(after), len(before))
        # Nothing written since: on SQLite the counts come from the cache, each after one
        # read of its tables' versions instead of three statements. (On PostgreSQL this
        # test's transaction has written and not committed: everything is counted again.)
        with CaptureQueriesContext(connection) as again:
            self.client.get("/")
        if connection.vendor == "sqlite":
            self.assertLess(len(again), len(after))
        else:
            self.assertEqual(len(again), len(after))
