"""The overview page: each person's scope in figures, and nothing outside it."""

from __future__ import annotations

from anjian.accounts.models import User
from anjian.enterprises.models import RiskClass, Status
from anjian.regions.models import RegionLevel
from anjian.test import World, make_enterprise, make_grid, make_region


class HomeTests(World):
    def figures(self, user: User) -> dict[str, object]:
        self.client.force_login(user)
        r = self.client.get("/")
        self.assertEqual(r.status_code, 200)
        return {
            k: r.context[k] for k in ("enterprise_total", "grid_count", "high_risk", "tenant_count")
        }

    def test_anonymous_is_sent_to_login(self) -> None:
        self.assertRedirects(self.client.get("/"), "/login/?next=/", fetch_redirect_response=False)

    def test_each_role_counts_only_its_scope(self) -> None:
        expected = {
            "chen": (3, 3),
            "zhou": (3, 3),
            "li": (2, 2),
            "qian": (1, 1),
            "zhang": (1, 1),
            "wang": (1, 1),
            "zhao": (1, 1),
            "wu": (1, 1),  # the enterprise referred to the fire department, and its grid
            "sun": (0, 0),
            "nobody": (0, 0),
        }
        for username, (enterprises, grids) in expected.items():
            with self.subTest(user=username):
                got = self.figures(User.objects.get(username=username))
                self.assertEqual((got["enterprise_total"], got["grid_count"]), (enterprises, grids))

    def test_grid_worker_of_b_sees_nothing_of_grid_a(self) -> None:
        make_enterprise(self.grid_a, risk_class=RiskClass.RED)
        self.client.force_login(self.wang)
        r = self.client.get("/")
        self.assertEqual((r.context["enterprise_total"], r.context["high_risk"]), (1, 0))
        self.assertNotContains(r, self.ea.name)

    def test_high_risk_counts_red_and_orange(self) -> None:
        make_enterprise(self.grid_a, risk_class=RiskClass.RED)
        make_enterprise(self.grid_a, risk_class=RiskClass.ORANGE)
        make_enterprise(self.grid_a, risk_class=RiskClass.YELLOW)
        self.assertEqual(self.figures(self.li)["high_risk"], 2)

    def test_tenants_and_closed_enterprises_are_counted(self) -> None:
        make_enterprise(self.grid_a, landlord=self.ea)
        make_enterprise(self.grid_a, status=Status.CLOSED)
        got = self.figures(self.zhang)
        self.assertEqual((got["enterprise_total"], got["tenant_count"]), (3, 1))

    def test_figures_are_on_the_page(self) -> None:
        self.client.force_login(self.li)
        r = self.client.get("/")
        self.assertContains(r, '<div class="display-6" id="figure-enterprises">2</div>', html=True)
        self.assertContains(r, '<div class="display-6" id="figure-grids">2</div>', html=True)

    def test_query_count_does_not_grow_with_enterprises_or_grids(self) -> None:
        self.client.force_login(self.chen)
        with self.assertNumQueries(6):
            self.client.get("/")
        village = make_region("新村", RegionLevel.VILLAGE, self.o2)
        for _ in range(5):
            make_enterprise(make_grid(village))
        with self.assertNumQueries(6):
            r = self.client.get("/")
        self.assertEqual(r.context["enterprise_total"], 8)
