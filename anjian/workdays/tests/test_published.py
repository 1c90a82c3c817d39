"""The data migration loads 2020–2026 as published, and the table refuses days that cannot be."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db import IntegrityError, transaction
from django.test import TestCase

from anjian.workdays import published
from anjian.workdays.models import DayKind, HolidayNotice, SpecialDay

D = datetime.date

# holidays.yaml: (total_days_off, weekend days worked) per year, as its header gives them
# from a reading of every notice on gov.cn.
COUNTS = {
    2020: (30, 6),
    2021: (31, 7),
    2022: (31, 7),
    2023: (27, 7),
    2024: (28, 8),
    2025: (28, 5),
    2026: (33, 6),
}


class PublishedYearsTests(TestCase):
    def test_counts_per_year_match_holidays_yaml(self) -> None:
        counts = {year: [0, 0] for year in COUNTS}
        for year, kind in SpecialDay.objects.values_list("notice", "kind"):
            counts[year][kind == DayKind.WORKED] += 1
        self.assertEqual({year: tuple(c) for year, c in counts.items()}, COUNTS)

    def test_each_year_keeps_its_notice_and_no_one_entered_it(self) -> None:
        n = HolidayNotice.objects.get(year=2025)
        self.assertEqual(
            (n.title, n.doc_no, n.issued_on, n.source_url),
            (
                "国务院办公厅关于2025年部分节假日安排的通知",
                "国办发明电〔2024〕12号",
                D(2024, 11, 12),
                "https://www.gov.cn/zhengce/content/202411/content_6986382.htm",
            ),
        )
        self.assertFalse(HolidayNotice.objects.filter(entered_by__isnull=False).exists())
        self.assertFalse(HolidayNotice.objects.filter(year=2027).exists())

    def test_2020_carries_its_amendment(self) -> None:
        n = HolidayNotice.objects.get(year=2020)
        self.assertEqual((n.amended_by, n.amended_on), ("国办发明电〔2020〕1号", D(2020, 1, 27)))
        self.assertIn("content_5472352", n.amendment_url)
        feb_1 = SpecialDay.objects.get(day=D(2020, 2, 1))
        self.assertEqual((feb_1.kind, feb_1.name), (DayKind.OFF, "春节"))
        self.assertEqual(HolidayNotice.objects.exclude(amended_by="").count(), 1)

    def test_a_break_that_begins_in_the_old_year_belongs_to_the_new_notice(self) -> None:
        self.assertEqual(SpecialDay.objects.get(day=D(2022, 12, 31)).notice_id, 2023)

    def test_every_worked_day_is_a_weekend_day(self) -> None:
        worked = SpecialDay.objects.filter(kind=DayKind.WORKED).values_list("day", flat=True)
        self.assertEqual(len(worked), sum(w for _off, w in COUNTS.values()))
        self.assertEqual([d for d in worked if d.weekday() < 5], [])

    def test_the_data_module_agrees_with_its_own_totals(self) -> None:
        for notice in published.PUBLISHED:
            with self.subTest(year=notice.year):
                self.assertEqual(len(notice.days_off()), notice.total_days_off)
                self.assertEqual(notice.status, published.VERIFIED)
                self.assertTrue(notice.source.startswith("http"))

    def test_the_migration_unloads_and_loads_again(self) -> None:
        before = list(SpecialDay.objects.order_by("day").values_list("day", "kind", "name"))
        published.unload(apps)
        self.assertEqual((HolidayNotice.objects.count(), SpecialDay.objects.count()), (0, 0))
        published.load(apps)
        after = list(SpecialDay.objects.order_by("day").values_list("day", "kind", "name"))
        self.assertEqual(after, before)


class TableConstraintTests(TestCase):
    """What the form checks, the table holds too (a script or the shell cannot get around it)."""

    def refused(self, **fields: object) -> None:
        fields.setdefault("notice_id", 2025)
        with self.assertRaises(IntegrityError), transaction.atomic():
            SpecialDay.objects.create(**fields)

    def test_a_date_is_in_the_calendar_once(self) -> None:
        self.refused(day=D(2025, 10, 1), kind=DayKind.OFF, name="国庆节")

    def test_a_worked_day_is_a_weekend_day(self) -> None:
        self.refused(day=D(2025, 3, 5), kind=DayKind.WORKED)

    def test_a_day_lies_in_its_notices_year_or_the_december_before(self) -> None:
        self.refused(day=D(2026, 3, 7), kind=DayKind.WORKED)
        self.refused(day=D(2024, 11, 30), kind=DayKind.WORKED)
        SpecialDay.objects.create(notice_id=2025, day=D(2024, 12, 28), kind=DayKind.WORKED)

    def test_a_day_off_names_its_holiday_and_kinds_are_known(self) -> None:
        self.refused(day=D(2025, 3, 5), kind=DayKind.OFF, name="")
        self.refused(day=D(2025, 3, 5), kind="holiday", name="国庆节")

    def test_a_notice_is_issued_by_its_year_and_an_amendment_is_whole(self) -> None:
        fields = {
            "title": "t",
            "doc_no": "d",
            "source_url": "https://www.gov.cn/",
            "issued_on": D(2026, 11, 1),
        }
        with self.assertRaises(IntegrityError), transaction.atomic():
            HolidayNotice.objects.create(year=2019, **fields)
        with self.assertRaises(IntegrityError), transaction.atomic():
            HolidayNotice.objects.create(year=2027, amended_by="国办发明电〔2027〕1号", **fields)
        HolidayNotice.objects.create(year=2027, **fields)
