"""Working-day arithmetic on the published calendar: holidays, adjusted working days, the
2020 amendment, and years not entered yet."""

from __future__ import annotations

import datetime

from django.test import TestCase

from anjian.workdays.calendar import (
    Calendar,
    Deadline,
    Holiday,
    OutsideCalendar,
    WorkingDays,
    add_working_days,
    is_working_day,
    working_days_between,
)

D = datetime.date


class NationalDay2025Tests(TestCase):
    """国庆节、中秋节 2025: 1–8 October off; Sun 28 September and Sat 11 October worked."""

    def test_the_eight_days_are_off_and_the_two_weekend_days_are_worked(self) -> None:
        for k in range(1, 9):
            with self.subTest(day=k):
                self.assertFalse(is_working_day(D(2025, 10, k)))
        self.assertTrue(is_working_day(D(2025, 9, 28)))
        self.assertTrue(is_working_day(D(2025, 10, 11)))
        self.assertFalse(is_working_day(D(2025, 9, 27)))  # an ordinary Saturday
        self.assertFalse(is_working_day(D(2025, 10, 12)))  # an ordinary Sunday

    def test_adding_working_days_across_the_break(self) -> None:
        cases = [
            (D(2025, 9, 26), 1, D(2025, 9, 28)),  # Friday → the Sunday worked
            (D(2025, 9, 28), 2, D(2025, 9, 30)),
            (D(2025, 9, 30), 1, D(2025, 10, 9)),  # over the eight days off
            (D(2025, 9, 30), 3, D(2025, 10, 11)),  # the Saturday worked
            (D(2025, 9, 30), 4, D(2025, 10, 13)),  # not the Sunday after it
            (D(2025, 9, 26), 7, D(2025, 10, 13)),
        ]
        for start, n, expected in cases:
            with self.subTest(start=start, n=n):
                self.assertEqual(add_working_days(start, n), Deadline(expected, False))

    def test_counting_working_days_across_the_break(self) -> None:
        # 28, 29, 30 September; 9, 10, 11 and 13 October.
        self.assertEqual(
            working_days_between(D(2025, 9, 26), D(2025, 10, 13)), WorkingDays(7, False)
        )
        self.assertEqual(working_days_between(D(2025, 9, 30), D(2025, 10, 8)).count, 0)
        self.assertEqual(working_days_between(D(2025, 9, 30), D(2025, 10, 9)).count, 1)


class SpringFestival2020Tests(TestCase):
    """国办发明电〔2020〕1号 extended 春节 2020 to 2 February: Sat 1 February, a working day in
    the original notice, is a day off."""

    def test_the_extension_holds_and_1_february_is_not_worked(self) -> None:
        self.assertFalse(is_working_day(D(2020, 2, 1)))
        self.assertFalse(is_working_day(D(2020, 1, 31)))  # a Friday, off by the extension
        self.assertTrue(is_working_day(D(2020, 1, 19)))  # the Sunday worked before it
        self.assertTrue(is_working_day(D(2020, 2, 3)))

    def test_deadlines_jump_the_extended_festival(self) -> None:
        self.assertEqual(add_working_days(D(2020, 1, 23), 1), Deadline(D(2020, 2, 3), False))
        # 19 (Sunday, worked), 20–23 January and 3 February.
        self.assertEqual(working_days_between(D(2020, 1, 17), D(2020, 2, 3)).count, 6)


class ProvisionalTests(TestCase):
    """2027's notice is not entered: its days are counted on weekends alone, provisionally."""

    def test_a_deadline_reaching_into_2027_is_provisional_and_counts_weekends_only(self) -> None:
        # 31 December; 1 January 2027 counts (a Friday: no holiday is known); 4 January.
        self.assertEqual(add_working_days(D(2026, 12, 30), 3), Deadline(D(2027, 1, 4), True))
        self.assertEqual(working_days_between(D(2026, 12, 31), D(2027, 1, 8)), WorkingDays(6, True))

    def test_a_deadline_inside_entered_years_is_not(self) -> None:
        self.assertEqual(add_working_days(D(2026, 12, 24), 3), Deadline(D(2026, 12, 29), False))
        self.assertFalse(working_days_between(D(2026, 12, 1), D(2026, 12, 31)).provisional)

    def test_a_year_before_the_calendar_is_provisional_too(self) -> None:
        self.assertEqual(add_working_days(D(2019, 12, 30), 1), Deadline(D(2019, 12, 31), True))
        self.assertTrue(working_days_between(D(2019, 12, 1), D(2020, 1, 10)).provisional)


class EdgeTests(TestCase):
    def test_n_zero_is_start_on_a_working_day_and_the_next_one_otherwise(self) -> None:
        cases = [
            (D(2025, 9, 29), D(2025, 9, 29)),  # a Monday
            (D(2025, 9, 28), D(2025, 9, 28)),  # a Sunday worked
            (D(2025, 10, 1), D(2025, 10, 9)),  # National Day
            (D(2025, 10, 4), D(2025, 10, 9)),  # a Saturday inside it
        ]
        for start, expected in cases:
            with self.subTest(start=start):
                self.assertEqual(add_working_days(start, 0), Deadline(expected, False))
        self.assertEqual(add_working_days(D(2027, 1, 2), 0), Deadline(D(2027, 1, 4), True))

    def test_a_negative_count_is_a_programming_error(self) -> None:
        with self.assertRaises(ValueError):
            add_working_days(D(2025, 9, 29), -1)

    def test_between_is_zero_unless_b_is_after_a(self) -> None:
        a = D(2025, 9, 29)
        self.assertEqual(working_days_between(a, a), WorkingDays(0, False))
        self.assertEqual(working_days_between(a, D(2025, 9, 22)), WorkingDays(0, False))
        self.assertEqual(working_days_between(D(2027, 3, 1), D(2027, 2, 1)), WorkingDays(0, False))
        self.assertEqual(working_days_between(a, D(2025, 9, 30)), WorkingDays(1, False))

    def test_a_long_count_runs_across_years(self) -> None:
        # 2025: 261 weekdays, 18 of them off, 5 weekend days worked = 248 working days.
        self.assertEqual(add_working_days(D(2024, 12, 31), 248), Deadline(D(2025, 12, 31), False))
        self.assertEqual(working_days_between(D(2024, 12, 31), D(2025, 12, 31)).count, 248)
        # Then 2026: 1–3 January off, Sunday 4 January worked.
        self.assertEqual(add_working_days(D(2024, 12, 31), 249), Deadline(D(2026, 1, 4), False))


class LoadTests(TestCase):
    def test_each_function_reads_the_table_once(self) -> None:
        with self.assertNumQueries(1):
            add_working_days(D(2025, 9, 30), 20)
        with self.assertNumQueries(1):
            working_days_between(D(2020, 1, 1), D(2026, 12, 31))
        with self.assertNumQueries(1):
            is_working_day(D(2025, 10, 1))
        with self.assertNumQueries(0):
            working_days_between(D(2025, 10, 1), D(2025, 10, 1))

    def test_a_loaded_calendar_computes_without_the_database(self) -> None:
        with self.assertNumQueries(1):
            calendar = Calendar.load(D(2025, 1, 1), D(2026, 12, 31))
        with self.assertNumQueries(0):
            self.assertEqual(calendar.add_working_days(D(2025, 9, 30), 1).day, D(2025, 10, 9))
            self.assertEqual(calendar.entered, {2025, 2026})

    def test_a_calendar_refuses_days_outside_its_range(self) -> None:
        calendar = Calendar.load(D(2025, 10, 1), D(2025, 10, 8))
        with self.assertRaises(OutsideCalendar):
            calendar.is_working_day(D(2025, 10, 9))
        with self.assertRaises(OutsideCalendar):
            calendar.add_working_days(D(2025, 10, 1), 1)

    def test_holidays_come_whole_and_are_cut_at_the_range(self) -> None:
        holidays = Calendar.load(D(2025, 1, 1), D(2025, 5, 3)).holidays()
        self.assertEqual(
            holidays,
            [
                Holiday("元旦", D(2025, 1, 1), D(2025, 1, 1)),
                Holiday("春节", D(2025, 1, 28), D(2025, 2, 4)),
                Holiday("清明节", D(2025, 4, 4), D(2025, 4, 6)),
                Holiday("劳动节", D(2025, 5, 1), D(2025, 5, 3)),
            ],
        )
        # 2023's 元旦 began on Saturday 31 December 2022.
        self.assertEqual(
            Calendar.load(D(2022, 12, 1), D(2023, 1, 10)).holidays()[0],
            Holiday("元旦", D(2022, 12, 31), D(2023, 1, 2)),
        )
