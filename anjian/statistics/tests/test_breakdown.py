"""The ledger broken down (statistics.breakdown): every number is its list's count, for every
split and role; the rows add up to the total; bad input is named, never a 500."""

from __future__ import annotations

from typing import Any

from anjian.dashboard.tests.test_figures import FigureWorld
from anjian.enterprises.models import Enterprise, RiskClass, Status
from anjian.statistics.breakdown import BY
from anjian.statistics.figures import Board
from anjian.test import make_enterprise

URL = "/api/v1/statistics/hazards"


class BreakdownTests(FigureWorld):
    def answer(self, query: str) -> dict[str, Any]:
        r = self.client.get(URL + query)
        self.assertEqual(r.status_code, 200, r.content[:400])
        return r.json()  # type: ignore[no-any-return]

    def assert_counts(self, body: dict[str, Any]) -> int:
        """Each counted figure equals its list's count; returns how many were not zero."""
        nonzero = 0
        for row in [*body["rows"], body["total"]]:
            figures = {f["key"]: f for f in row["figures"]}
            for f in row["figures"]:
                if f["list"] is None:
                    self.assertEqual(f["unit"], "%")
                    self.assertTrue(all(k in figures for k in f["of"]))
                    continue
                sep = "&" if "?" in f["list"] else "?"
                r = self.client.get(f"{f['list']}{sep}with_count=true&limit=1")
                self.assertEqual(r.status_code, 200, f["list"])
                self.assertEqual(r.json()["count"], f["value"], (row["label"], f["list"]))
                nonzero += bool(f["value"])
        return nonzero

    def test_every_split_counts_its_lists_for_the_zone_admin(self) -> None:
        self.client.force_login(self.chen)
        year = self.today.year
        for by in BY:
            with self.subTest(by=by):
                body = self.answer(f"?period={year}&by={by}")
                self.assertEqual(body["by"], by)
                self.assertGreater(self.assert_counts(body), 0)
                # The rows add up to the total (each hazard falls in one row).
                found = sum(r["figures"][0]["value"] for r in body["rows"])
                self.assertEqual(found, body["total"]["figures"][0]["value"])

    def test_each_role_counts_its_own_scope(self) -> None:
        year = self.today.year
        cases = ((self.li, "grid", "grid"), (self.zhang, "level", "month"),
                 (self.zhao, "source", "month"))  # fmt: skip
        for user, by, default in cases:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                body = self.answer(f"?period={year}&by={by}")
                self.assert_counts(body)
                self.assertEqual(self.answer(f"?period={year}")["by"], default)
        # The officer's grids are his office's only.
        self.client.force_login(self.li)
        grids = {r["value"] for r in self.answer(f"?period={year}&by=grid")["rows"]}
        self.assertNotIn(str(self.grid_b.pk), grids)

    def test_weeks_cover_the_period(self) -> None:
        self.client.force_login(self.chen)
        body = self.answer(f"?period={self.today.year - 1}&by=week")
        self.assertIn(len(body["rows"]), (53, 54))  # partial weeks at both ends
        total = sum(r["figures"][0]["value"] for r in body["rows"])
        self.assertEqual(total, body["total"]["figures"][0]["value"])
        self.assertGreater(total, 0)

    def test_an_office_narrows_and_an_office_out_of_scope_is_refused(self) -> None:
        self.client.force_login(self.chen)
        whole = self.answer("?by=office")
        one = self.answer(f"?by=office&office={self.o1.pk}")
        self.assertEqual([r["value"] for r in one["rows"]], [str(self.o1.pk)])
        self.assertLessEqual(
            one["total"]["figures"][0]["value"], whole["total"]["figures"][0]["value"]
        )
        for office in ("99999999999999999999999", "abc", "-1"):
            with self.subTest(office=office):
                r = self.client.get(f"{URL}?office={office}")
                self.assertEqual(r.status_code, 422)
                self.assertEqual([e["field"] for e in r.json()["errors"]], ["office"])

    def test_bad_input_is_named(self) -> None:
        self.client.force_login(self.chen)
        for query, field in (("?by=colour", "by"), ("?period=2026Q5", "period"),
                             ("?period=" + "9" * 40, "period")):  # fmt: skip
            with self.subTest(query=query):
                r = self.client.get(URL + query)
                self.assertEqual(r.status_code, 422)
                self.assertEqual([e["field"] for e in r.json()["errors"]], [field])
                page = self.client.get("/statistics/hazards/" + query)
                self.assertEqual(page.status_code, 200)
                self.assertIn("is-invalid", page.content.decode())
                self.assertNotIn('id="breakdown"', page.content.decode())

    def test_the_page_shows_every_figure_as_a_link(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.get(f"/statistics/hazards/?period={self.today.year}&by=source")
        self.assertEqual(r.status_code, 200)
        body = r.content.decode()
        data = r.context["data"]
        counted = [f for f in data.figures() if f.page]
        self.assertTrue(counted)
        for f in counted:
            self.assertIn(f'href="{f.page.replace("&", "&amp;")}"', body)
        self.assertIn('href="/statistics/hazards/"', self.client.get("/").content.decode())

    def test_anonymous_is_refused(self) -> None:
        self.assertEqual(self.client.get(URL).status_code, 401)
        r = self.client.get("/statistics/hazards/")
        self.assertEqual(r.status_code, 302)
        self.assertIn("login", r["Location"])

    def test_a_persons_row_opens_the_ledger_of_their_finds(self) -> None:
        self.client.force_login(self.chen)
        body = self.answer(f"?period={self.today.year}&by=found_by")
        row = body["rows"][0]
        found = row["figures"][0]
        page = found["list"].replace("/api/v1/hazards", "/hazards/")
        r = self.client.get(page)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, f'type="hidden" name="found_by" value="{row["value"]}"', html=False)
        self.assertEqual(len(r.context["page"].items), found["value"])
        for bad in ("abc", "0", "99999999999999999999999"):
            with self.subTest(found_by=bad):
                r = self.client.get(f"/hazards/?found_by={bad}")
                self.assertEqual(r.status_code, 200)
                self.assertTrue(r.context["filter"].errors.get("found_by"))
                api = self.client.get(f"/api/v1/hazards?found_by={bad}")
                self.assertEqual(api.status_code, 422)


class GroupingTests(FigureWorld):
    def test_a_measure_of_every_row_beside_a_narrower_one_counts_every_row(self) -> None:
        # "All enterprises" has no condition; OR-ed with "operating" it must not become
        # "operating" (Q() | q is q): each measure per colour is its list's count.
        make_enterprise(self.ea.grid, risk_class=RiskClass.RED)
        make_enterprise(self.ea.grid, risk_class=RiskClass.RED, status=Status.CLOSED)
        board = Board(self.chen)
        group = board.grouped(
            "risk",
            "enterprises",
            "risk_class",
            {"all": ("", {}), "operating": ("", {"status": Status.OPERATING})},
        )
        board.evaluate()
        self.assertIn(RiskClass.RED, group.figures)
        for colour, row in group.figures.items():
            everyone = Enterprise.objects.visible_to(self.chen).filter(risk_class=colour)
            self.assertEqual(row["all"].value, everyone.count(), colour)
            self.assertEqual(
                row["operating"].value, everyone.filter(status=Status.OPERATING).count(), colour
            )
