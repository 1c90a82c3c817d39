"""Periods: how they are written and read, where they start and end, and their neighbours."""

from __future__ import annotations

import datetime

from django.test import SimpleTestCase
from django.utils import translation

from anjian.lib.periods import Kind, Period, PeriodError

D = datetime.date


class PeriodTests(SimpleTestCase):
    def test_spellings(self) -> None:
        for text, code in (
            ("2026", "2026"),
            (" 2026Q3 ", "2026Q3"),
            ("2026-q3", "2026Q3"),
            ("2026-07", "2026-07"),
            ("2026-7", "2026-07"),
            ("2026M07", "2026-07"),
        ):
            with self.subTest(text=text):
                self.assertEqual(Period.parse(text).code, code)

    def test_refusals_name_the_field(self) -> None:
        for text in ("", "26", "2026Q5", "2026-13", "Q3", "1999", "2101", "next quarter"):
            with self.subTest(text=text), self.assertRaises(PeriodError) as caught:
                Period.parse(text, field="period")
            self.assertEqual(caught.exception.field, "period")

    def test_bounds_and_months(self) -> None:
        cases = {
            "2026": (D(2026, 1, 1), D(2026, 12, 31), 12),
            "2026Q1": (D(2026, 1, 1), D(2026, 3, 31), 3),
            "2026Q4": (D(2026, 10, 1), D(2026, 12, 31), 3),
            "2024-02": (D(2024, 2, 1), D(2024, 2, 29), 1),
            "2026-12": (D(2026, 12, 1), D(2026, 12, 31), 1),
        }
        for code, (start, end, months) in cases.items():
            with self.subTest(code=code):
                p = Period.parse(code)
                self.assertEqual((p.start, p.end, p.months), (start, end, months))
                self.assertEqual(next(p.month_periods()).code, start.strftime("%Y-%m"))
                self.assertEqual(len(list(p.month_periods())), months)

    def test_neighbours_cross_years(self) -> None:
        self.assertEqual(Period.parse("2026-01").previous.code, "2025-12")
        self.assertEqual(Period.parse("2026-12").following.code, "2027-01")
        self.assertEqual(Period.parse("2026Q1").previous.code, "2025Q4")
        self.assertEqual(Period.parse("2026Q4").following.code, "2027Q1")
        self.assertEqual(Period.parse("2026").previous.code, "2025")

    def test_containing_and_contains(self) -> None:
        day = D(2026, 8, 15)
        self.assertEqual(Period.containing(day, Kind.QUARTER).code, "2026Q3")
        self.assertEqual(Period.containing(day, Kind.MONTH).code, "2026-08")
        self.assertEqual(Period.current(Kind.YEAR, day).code, "2026")
        self.assertIn(day, Period.parse("2026Q3"))
        self.assertNotIn(D(2026, 10, 1), Period.parse("2026Q3"))

    def test_labels_in_both_languages(self) -> None:
        with translation.override("zh-hans"):
            self.assertEqual(Period.parse("2026Q3").label, "2026年第三季度")
            self.assertEqual(Period.parse("2026-07").label, "2026年7月")
            self.assertEqual(Period.parse("2026").label, "2026年")
        with translation.override("en"):
            self.assertEqual(Period.parse("2026Q3").label, "2026 Q3")
            self.assertEqual(Period.parse("2026-07").label, "2026/7")
            self.assertEqual(Period.parse("2026").label, "2026")
