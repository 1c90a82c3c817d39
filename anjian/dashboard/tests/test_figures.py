"""Every figure on every home is its list's count: for each persona and period, each figure of
GET /api/v1/dashboard is fetched as its list with ?with_count=true and must count the same;
each rate is its two named figures divided."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

from django.utils import timezone

from anjian.accounts.models import User
from anjian.coverage.tests.test_coverage import visit
from anjian.enforcement.notices import issue_notice, serve_notice
from anjian.enterprises.models import RiskClass
from anjian.fieldwork.models import Outcome, VisitKind
from anjian.hazards.models import Hazard, Status
from anjian.hazards.tests.factories import HazardWorld, engage, hazard_in, make_photo
from anjian.lib.periods import Kind, Period
from anjian.statistics.figures import Figure, percent
from anjian.test import make_enterprise

URL = "/api/v1/dashboard"
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[120.0, 31.0], [120.01, 31.0], [120.01, 31.01], [120.0, 31.01], [120.0, 31.0]]
    ],
}


class FigureWorld(HazardWorld):
    """Hazards in every state, found this year and last, some closed late; visits of each
    kind and outcome; enterprises of each risk colour, a tenant among them."""

    def setUp(self) -> None:
        super().setUp()
        self.today = timezone.localdate()
        photo = make_photo(self.li)
        other = make_photo(self.qian)
        self.grid_a.boundary = json.dumps(SQUARE)
        self.grid_a.save()
        self.ea.risk_class, self.eb.risk_class = RiskClass.RED, RiskClass.BLUE
        self.ea.save()
        self.eb.save()
        make_enterprise(self.grid_a2, "杨桥承租厂", landlord=self.ea, risk_class=RiskClass.YELLOW)
        statuses = [Status.RECTIFYING, Status.SUBMITTED, Status.CLOSED, Status.VOID,
                    Status.REPORTED, Status.UNDER_REVIEW, Status.WRITTEN_OFF]  # fmt: skip
        self.hazards: list[Hazard] = []
        for i, status in enumerate(statuses):
            self.hazards.append(hazard_in(status, self.ea, self.li, photo))
            self.hazards.append(
                hazard_in(
                    status,
                    [self.ea2, self.eb][i % 2],
                    self.qian if i % 2 else self.li,
                    other if i % 2 else photo,
                )
            )
        # Rectification notices: one to serve in each office, and one served.
        issue_notice([self.hazards[0]], by=self.li)
        issue_notice([self.hazards[3]], by=self.qian)
        served = issue_notice([self.hazards[1]], by=self.li)
        serve_notice(served, served_on=self.today, received_by="王厂长", by=self.li)
        # Spread them over this year and last: some found months ago, some last year, some
        # closed after their deadline; one overdue.
        for n, h in enumerate(self.hazards):
            # The workflow saved other copies: the deadline and the close are in the database.
            h.refresh_from_db()
            found = self.today - datetime.timedelta(days=[0, 20, 75, 200, 380, 400][n % 6])
            found = max(found, datetime.date(self.today.year - 1, 1, 1))
            changes: dict[str, Any] = {"found_on": found}
            if h.closed_at is not None:
                closed = found + datetime.timedelta(days=10 + n)
                closed = min(closed, self.today)
                changes["closed_at"] = timezone.make_aware(
                    datetime.datetime.combine(closed, datetime.time(9))
                )
                changes["deadline"] = found + datetime.timedelta(days=[5, 30][n % 2])
            elif h.deadline is not None:
                changes["deadline"] = [
                    self.today - datetime.timedelta(days=3),
                    self.today + datetime.timedelta(days=2),
                ][n % 2]
            Hazard.objects.filter(pk=h.pk).update(**changes)
        days_ago = [1, 40, 100, 370]
        for n, (who, where, kind) in enumerate(
            [
                (self.zhang, self.ea, VisitKind.PATROL),
                (self.zhang, self.ea2, VisitKind.PATROL),
                (self.wang, self.eb, VisitKind.PATROL),
                (self.li, self.ea, VisitKind.INSPECTION),
                (self.qian, self.eb, VisitKind.INSPECTION),
                (self.zhao, self.ea, VisitKind.SELF_INSPECTION),
                (self.sun, self.ea, VisitKind.EXPERT_CHECK),
            ]
        ):
            day = self.today - datetime.timedelta(days=days_ago[n % 4])
            visit(
                where,
                who,
                max(day, datetime.date(self.today.year - 1, 1, 1)),
                Outcome.INSPECTED if n % 3 else Outcome.LOCKED,
                kind,
            )
        engage(self.sun, self.ea)


class FigureEqualsListTests(FigureWorld):
    PERSONAS = ("chen", "zhou", "li", "qian", "zhang", "wang", "zhao", "sun", "wu")

    def figures(self, user: User, query: str) -> dict[str, dict[str, Any]]:
        self.client.force_login(user)
        r = self.client.get(URL + query)
        self.assertEqual(r.status_code, 200, r.content[:500])
        body = r.json()
        self.assertIsInstance(body, list)
        keys = [f["key"] for f in body]
        self.assertEqual(len(keys), len(set(keys)), "keys are unique")
        return {f["key"]: f for f in body}

    def assert_each_figure_is_its_list(self, user: User, query: str) -> int:
        """Returns how many counted figures were not zero (so the check is not vacuous)."""
        figures = self.figures(user, query)
        nonzero = 0
        for key, f in figures.items():
            with self.subTest(user=user.username, query=query, key=key):
                if f["list"] is None:
                    self.assertTrue(f["of"], "a figure without a list names what it divides")
                    for name in f["of"]:
                        self.assertIn(name, figures)
                    if f.get("unit") == "%":
                        num, den = (figures[k]["value"] for k in f["of"])
                        expected = percent(Figure("n", "", value=num), Figure("d", "", value=den))
                        self.assertEqual(f["value"], None if expected is None else float(expected))
                    continue
                self.assertTrue(f["list"].startswith("/api/v1/"), f["list"])
                sep = "&" if "?" in f["list"] else "?"
                r = self.client.get(f"{f['list']}{sep}with_count=true&limit=1")
                self.assertEqual(r.status_code, 200, (f["list"], r.content[:300]))
                self.assertEqual(r.json()["count"], f["value"], f["list"])
                nonzero += bool(f["value"])
        return nonzero

    def test_the_world_holds_an_overdue_hazard_and_a_late_close(self) -> None:
        # Else the overdue and on-time figures would be checked only at zero.
        self.assertTrue(Hazard.objects.overdue(self.today).exists())
        closed = Hazard.objects.exclude(closed_at=None).exclude(deadline=None)
        self.assertTrue(
            any(h.closed_at and h.deadline and h.closed_at.date() > h.deadline for h in closed)
        )

    def test_every_persona_every_figure_this_year(self) -> None:
        year = str(self.today.year)
        for username in self.PERSONAS:
            user = User.objects.get(username=username)
            nonzero = self.assert_each_figure_is_its_list(user, f"?period={year}")
            with self.subTest(user=username):
                self.assertGreater(nonzero, 0)

    def test_other_periods_and_an_office(self) -> None:
        quarter = Period.current(Kind.QUARTER, self.today).code
        month = Period.current(Kind.MONTH, self.today).code
        self.assertGreater(self.assert_each_figure_is_its_list(self.chen, f"?period={quarter}"), 5)
        self.assert_each_figure_is_its_list(self.li, f"?period={month}")
        self.assert_each_figure_is_its_list(self.zhou, f"?period={self.today.year - 1}")
        focused = self.assert_each_figure_is_its_list(self.chen, f"?office={self.o1.pk}")
        self.assertGreater(focused, 5)

    def test_the_officer_is_shown_the_notices_of_his_office_still_to_serve(self) -> None:
        figure = self.figures(self.li, "")["queue.notices_to_serve"]
        self.assertEqual(figure["value"], 1)
        self.assertEqual(figure["list"], "/api/v1/notices?state=unserved")
        self.assertEqual(self.figures(self.qian, "")["queue.notices_to_serve"]["value"], 1)
        self.assertNotIn("queue.notices_to_serve", self.figures(self.chen, ""))

    def test_the_office_focus_keeps_to_the_office(self) -> None:
        whole = self.figures(self.chen, "")
        o1 = self.figures(self.chen, f"?office={self.o1.pk}")
        self.assertLess(o1["hazards.open"]["value"], whole["hazards.open"]["value"])
        self.assertIn(f"office={self.o1.pk}", o1["hazards.open"]["list"])


class DashboardApiTests(FigureWorld):
    def test_anonymous_is_refused(self) -> None:
        self.assertEqual(self.client.get(URL).status_code, 401)

    def test_bad_period_is_refused_naming_the_field(self) -> None:
        self.client.force_login(self.chen)
        for period in ("2026Q5", "soon", "1999"):
            with self.subTest(period=period):
                r = self.client.get(f"{URL}?period={period}")
                self.assertEqual(r.status_code, 422)
                self.assertEqual([e["field"] for e in r.json()["errors"]], ["period"])

    def test_an_office_out_of_scope_is_not_found(self) -> None:
        self.client.force_login(self.li)
        self.assertEqual(self.client.get(f"{URL}?office={self.o2.pk}").status_code, 404)
        self.assertEqual(self.client.get(f"{URL}?office=99999999999").status_code, 404)
        self.client.force_login(self.chen)
        self.assertIn(
            self.client.get(f"{URL}?office=99999999999999999999999").status_code, (404, 422)
        )

    def test_an_enterprise_reads_nothing_of_the_zone(self) -> None:
        self.client.force_login(self.zhao)
        body = self.client.get(URL).json()
        keys = {f["key"] for f in body}
        self.assertFalse(
            [k for k in keys if k.startswith(("hazards.office", "coverage", "enterprises"))]
        )
        ours = (
            Hazard.objects.filter(enterprise=self.ea)
            .exclude(status__in=[Status.CLOSED, Status.VOID, Status.WRITTEN_OFF])
            .count()
        )
        self.assertEqual({f["key"]: f["value"] for f in body}["hazards.open"], ours)

    def test_rates_name_their_figures(self) -> None:
        self.client.force_login(self.chen)
        year = self.today.year
        body = {f["key"]: f for f in self.client.get(f"{URL}?period={year}").json()}
        rate = body[f"hazards.rectification_rate.{year}"]
        self.assertIsNone(rate["list"])
        self.assertEqual(rate["of"], [f"hazards.found_rectified.{year}", f"hazards.found.{year}"])
        self.assertEqual(rate["unit"], "%")
        found = body[f"hazards.found.{year}"]["value"]
        self.assertGreater(found, 0)
        average = body[f"hazards.average_days_to_close.{year}"]
        self.assertEqual(average["of"], [f"hazards.rectified.{year}"])
        closed = Hazard.objects.filter(closed_at__year=year)
        spans = [(timezone.localdate(h.closed_at) - h.found_on).days for h in closed]
        self.assertAlmostEqual(
            average["value"],
            float(Decimal(sum(spans) / len(spans)).quantize(Decimal("0.1"))),
            places=1,
        )
