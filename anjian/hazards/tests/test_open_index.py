"""Open and overdue hazards of an office: the right rows, and on SQLite through the partial
index on open hazards (the open codes are written into the SQL, lib.lookups)."""

from __future__ import annotations

import unittest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from anjian.hazards.models import OPEN, Hazard, Status
from anjian.hazards.tests.factories import HazardWorld, days, general, hazard_in, make_photo
from anjian.hazards.workflow import register_hazard

URL = "/api/v1/hazards"


class OpenInOfficeTests(HazardWorld):
    late_o1: Hazard
    due_o1: Hazard
    late_o2: Hazard
    by_status: dict[str, Hazard]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        photo = make_photo(cls.li)
        # One hazard in every status in office 1 (no deadline: none of them is overdue).
        cls.by_status = {s: hazard_in(s, cls.ea, cls.li, photo) for s in Status.values}
        cls.late_o1 = register_hazard(
            cls.ea2, general(found_on=days(-40), deadline=days(-10)), by=cls.li
        )
        cls.due_o1 = register_hazard(
            cls.ea, general(found_on=days(-5), deadline=days(3)), by=cls.li
        )
        cls.late_o2 = register_hazard(
            cls.eb, general(found_on=days(-40), deadline=days(-10)), by=cls.qian
        )

    def ids(self, query: str) -> set[int]:
        self.client.force_login(self.chen)
        r = self.client.get(URL + query)
        self.assertEqual(r.status_code, 200, r.content)
        return {row["id"] for row in r.json()["items"]}

    def test_open_in_an_office_is_every_open_status_of_that_office(self) -> None:
        expected = {h.pk for s, h in self.by_status.items() if s in OPEN}
        expected |= {self.late_o1.pk, self.due_o1.pk}
        self.assertEqual(len(expected), len(OPEN) + 2)
        self.assertEqual(self.ids(f"?state=open&office={self.o1.pk}"), expected)

    def test_overdue_in_an_office_is_its_open_hazards_past_their_deadline(self) -> None:
        self.assertEqual(self.ids(f"?state=overdue&office={self.o1.pk}"), {self.late_o1.pk})
        self.assertEqual(self.ids(f"?state=overdue&office={self.o2.pk}"), {self.late_o2.pk})

    def test_a_voided_hazard_past_its_deadline_is_not_overdue(self) -> None:
        Hazard.objects.filter(pk=self.late_o1.pk).update(status=Status.VOID)
        self.assertEqual(self.ids(f"?state=overdue&office={self.o1.pk}"), set())

    def test_open_written_out_matches_open_as_parameters(self) -> None:
        literal = set(Hazard.objects.open().values_list("pk", flat=True))
        parameters = set(Hazard.objects.filter(status__in=OPEN).values_list("pk", flat=True))
        self.assertEqual(literal, parameters)
        self.assertTrue(literal)

    @unittest.skipUnless(connection.vendor == "sqlite", "SQLite's planner")
    def test_sqlite_uses_the_office_open_index_for_open_and_overdue(self) -> None:
        self.client.force_login(self.chen)
        for state in ("open", "overdue"):
            with self.subTest(state=state):
                with CaptureQueriesContext(connection) as ctx:
                    self.client.get(f"{URL}?state={state}&office={self.o1.pk}")
                sql = ctx.captured_queries[-1]["sql"]
                self.assertIn('"hazards_hazard"', sql)
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN QUERY PLAN " + sql)
                    plan = " ".join(str(row[-1]) for row in cursor.fetchall())
                self.assertIn("hazard_office_open_found", plan)
                self.assertNotIn("TEMP B-TREE", plan)  # no sort: the index is in page order
