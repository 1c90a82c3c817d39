"""The ledger sorts by found date or deadline, and pages exactly in either order."""

from typing import Any

from anjian.hazards import workflow
from anjian.hazards.tests.factories import HazardWorld, days, general, major


class LedgerSortingTests(HazardWorld):
    def setUp(self) -> None:
        super().setUp()
        self.made = []
        for n, deadline in enumerate([5, 2, 9, 2, 30]):
            h = workflow.register_hazard(
                self.ea, general(name=f"隐患{n}", deadline=days(deadline)), by=self.li
            )
            self.made.append(h)
        # A major hazard has no deadline until its plan is filed: it sorts last.
        self.undated = workflow.register_hazard(self.ea, major(name="重大"), by=self.li)
        self.client.force_login(self.li)

    def walk(self, **params: Any) -> list[int]:
        ids, cursor = [], None
        while True:
            query = {**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
            body = self.client.get("/api/v1/hazards", query).json()
            ids += [r["id"] for r in body["items"]]
            cursor = body["next"]
            if not cursor:
                return ids

    def test_nearest_deadline_first_with_undated_last_and_no_repeats(self) -> None:
        ids = self.walk(sort="deadline")
        by_deadline = sorted(self.made, key=lambda h: (h.deadline, h.pk))
        self.assertEqual(ids, [h.pk for h in by_deadline] + [self.undated.pk])

    def test_latest_deadline_first_puts_undated_first(self) -> None:
        ids = self.walk(sort="-deadline")
        self.assertEqual(ids[0], self.undated.pk)
        self.assertEqual(sorted(ids), sorted([h.pk for h in self.made] + [self.undated.pk]))

    def test_default_is_newest_found_first_by_id_within_a_day(self) -> None:
        self.assertEqual(
            self.walk(), sorted(ids := [h.pk for h in self.made] + [self.undated.pk], reverse=True)
        )
        self.assertEqual(len(ids), 6)

    def test_an_unknown_order_is_an_error_naming_sort(self) -> None:
        r = self.client.get("/api/v1/hazards", {"sort": "name"})
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["field"], "sort")

    def test_the_ledger_page_offers_and_applies_the_order(self) -> None:
        r = self.client.get("/hazards/", {"sort": "deadline"})
        self.assertContains(r, 'name="sort"')
        first = r.context["page"].items[0]
        self.assertEqual(first.deadline, days(2))
