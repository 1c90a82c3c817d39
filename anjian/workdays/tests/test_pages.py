"""The calendar page, and the zone admin entering a year the State Council has published."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from anjian.audit.models import Entry
from anjian.lib.errors import NotAllowed
from anjian.test import World
from anjian.workdays import services
from anjian.workdays.calendar import Deadline, Holiday, add_working_days
from anjian.workdays.forms import YearForm
from anjian.workdays.models import HolidayNotice, SpecialDay
from anjian.workdays.published import Notice

D = datetime.date

# A year made up for the tests, NOT the 2027 notice (which nobody here has seen): the form and
# the arithmetic only need days that are well formed.
MADE_UP_2027 = {
    "year": "2027",
    "title": "国务院办公厅关于2027年部分节假日安排的通知",
    "doc_no": "测试〔2026〕1号",
    "issued_on": "2026-11-01",
    "source_url": "https://www.gov.cn/zhengce/content/test.htm",
    "holidays": "元旦 2027-01-01\n\n测试假日 2027-10-01 至 2027-10-07",
    "worked": "2027-09-26\n2027年10月9日",
}


class YearsPageTests(World):
    url = reverse("workdays:years")

    def test_anonymous_is_sent_to_sign_in(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, f"/login/?next={self.url}", fetch_redirect_response=False)

    def test_roles_that_set_no_deadlines_are_refused(self) -> None:
        for user in [self.zhang, self.wang, self.zhao, self.sun, self.wu, self.nobody]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_zone_admin_officers_and_leaders_read_it_and_only_the_admin_may_enter(self) -> None:
        enter = reverse("workdays:enter")
        for user, manages in [
            (self.chen, True),
            (self.li, False),
            (self.qian, False),
            (self.zhou, False),
        ]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                r = self.client.get(self.url)
                self.assertEqual(r.status_code, 200)
                self.assertEqual(f'href="{enter}"' in r.content.decode(), manages)

    def test_each_year_shows_its_notice_source_and_counts_in_chinese(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.get(self.url)
        self.assertContains(r, '<h1 class="h4 mb-0">工作日历</h1>', html=False)
        self.assertContains(r, "国办发明电〔2025〕7号")
        self.assertContains(
            r, 'href="https://www.gov.cn/zhengce/content/202511/content_7047090.htm"'
        )
        self.assertContains(r, "国办发明电〔2020〕1号")  # 2020's amendment
        years = [(n.year, n.days_off, n.worked) for n, _h in r.context["rows"]]
        self.assertEqual(years[0], (2026, 33, 6))
        self.assertEqual([y for y, _o, _w in years], list(range(2026, 2019, -1)))
        holidays_2026 = r.context["rows"][0][1]
        self.assertEqual(holidays_2026[1], Holiday("春节", D(2026, 2, 15), D(2026, 2, 23)))

    def test_english_on_request(self) -> None:
        self.client.force_login(self.chen)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.assertContains(self.client.get(self.url), "Working-day calendar")

    def test_query_count_does_not_grow_with_years(self) -> None:
        self.client.force_login(self.chen)
        with self.assertNumQueries(4):  # session, user, years with counts, their days
            self.client.get(self.url)
        self.client.post(reverse("workdays:enter"), MADE_UP_2027)
        with self.assertNumQueries(4):
            r = self.client.get(self.url)
        self.assertContains(r, "测试〔2026〕1号")


class EnterYearTests(World):
    url = reverse("workdays:enter")

    def post(self, **changes: str) -> Any:
        self.client.force_login(self.chen)
        return self.client.post(self.url, MADE_UP_2027 | changes)

    def test_anonymous_is_sent_to_sign_in(self) -> None:
        r = self.client.post(self.url, MADE_UP_2027)
        self.assertRedirects(r, f"/login/?next={self.url}", fetch_redirect_response=False)
        self.assertFalse(HolidayNotice.objects.filter(year=2027).exists())

    def test_every_role_but_the_zone_admin_is_refused(self) -> None:
        others = [self.li, self.qian, self.zhang, self.wang, self.zhao, self.sun, self.zhou]
        for user in [*others, self.wu, self.nobody]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)
                self.assertEqual(self.client.post(self.url, MADE_UP_2027).status_code, 403)
        self.assertFalse(HolidayNotice.objects.filter(year=2027).exists())

    def test_zone_admin_enters_a_year_and_its_deadlines_are_no_longer_provisional(self) -> None:
        # Before: 1 January 2027 counts as a working day, provisionally.
        self.assertEqual(add_working_days(D(2026, 12, 30), 3), Deadline(D(2027, 1, 4), True))
        self.client.force_login(self.chen)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        r = self.post()
        self.assertRedirects(r, reverse("workdays:years"), fetch_redirect_response=False)
        notice = HolidayNotice.objects.get(year=2027)
        self.assertEqual(notice.entered_by, self.chen)
        self.assertIsNotNone(notice.entered_at)
        kinds = list(notice.days.values_list("kind", flat=True))
        self.assertEqual((kinds.count("off"), kinds.count("worked")), (8, 2))
        self.assertEqual(SpecialDay.objects.get(day=D(2027, 10, 9)).kind, "worked")
        entry = Entry.objects.get(action="workdays.enter_year")
        self.assertEqual(
            (entry.actor, entry.object_id, entry.channel, entry.zone_id),
            (self.chen, "2027", "page", self.zone.pk),
        )
        self.assertEqual(entry.changes["worked"], ["2027-09-26", "2027-10-09"])
        self.assertEqual(add_working_days(D(2026, 12, 30), 3), Deadline(D(2027, 1, 5), False))
        self.assertEqual(add_working_days(D(2027, 9, 30), 2), Deadline(D(2027, 10, 9), False))

    def assert_refused(self, field: str, message: str, **changes: str) -> None:
        """The post is refused with `message` on `field`, and nothing is written."""
        days, entries = SpecialDay.objects.count(), Entry.objects.count()
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        r = self.post(**changes)
        self.assertEqual(r.status_code, 200)
        with translation.override("en"):  # Django's own messages stay lazy until read
            self.assertIn(message, [str(e) for e in r.context["form"].errors.get(field, [])])
        self.assertContains(r, f'data-field="{field}"')
        self.assertFalse(HolidayNotice.objects.filter(year=2027).exists())
        self.assertEqual((SpecialDay.objects.count(), Entry.objects.count()), (days, entries))

    def test_a_holiday_outside_the_year(self) -> None:
        self.assert_refused(
            "holidays",
            "Line 3: 2028-10-07 is not in 2027.",
            holidays="元旦 2027-01-01\n\n国庆节 2027-10-01 2028-10-07",
        )
        self.assert_refused(
            "holidays", "Line 1: 2026-11-30 is not in 2027.", holidays="元旦 2026-11-30 2027-01-01"
        )

    def test_a_holiday_that_ends_before_it_begins(self) -> None:
        self.assert_refused(
            "holidays",
            "Line 2: the last day (2027-10-01) is before the first (2027-10-07).",
            holidays="元旦 2027-01-01\n国庆节 2027-10-07 2027-10-01",
        )

    def test_overlapping_holidays(self) -> None:
        self.assert_refused(
            "holidays",
            "Line 2: 中秋节 overlaps line 1 (国庆节).",
            holidays="国庆节 2027-10-01 2027-10-07\n中秋节 2027-09-30 2027-10-01",
        )

    def test_a_working_day_that_is_a_weekday(self) -> None:
        self.assert_refused(
            "worked",
            "Line 2: 2027-10-13 is a weekday; an adjusted working day (调休上班) is a Saturday "
            "or a Sunday.",
            worked="2027-09-26\n2027-10-13",
        )

    def test_a_holiday_day_also_listed_as_a_working_day(self) -> None:
        self.assert_refused(
            "worked",
            "Line 2: 2027-10-02 is a day off in 测试假日 (holidays, line 3).",
            worked="2027-09-26\n2027-10-02",
        )

    def test_a_working_day_outside_the_year_or_listed_twice(self) -> None:
        self.assert_refused("worked", "Line 1: 2028-01-08 is not in 2027.", worked="2028-01-08")
        self.assert_refused(
            "worked", "Line 2: 2027-09-26 is already on line 1.", worked="2027-09-26\n2027-9-26"
        )

    def test_garbage_text(self) -> None:
        self.assert_refused(
            "holidays",
            "Line 1: write the holiday's name, then its first and last day, e.g. "
            "“国庆节 2027-10-01 2027-10-07”.",
            holidays="放假安排见附件",
        )
        self.assert_refused(
            "holidays",
            "Line 1: “2027-02-30” is not a date; write it as 2027-10-01.",
            holidays="春节 2027-02-30",
        )
        self.assert_refused(
            "worked", "Line 1: “十月九日” is not a date; write it as 2027-10-01.", worked="十月九日"
        )
        self.assert_refused("year", "Enter a whole number.", year="二〇二七")

    def test_a_year_already_entered(self) -> None:
        self.assert_refused(
            "year",
            "2026 is already in the calendar.",
            year="2026",
            holidays="国庆节 2026-10-01 2026-10-07",
            worked="",
        )
        self.assertEqual(HolidayNotice.objects.get(year=2026).doc_no, "国办发明电〔2025〕7号")

    def test_over_long_fields(self) -> None:
        self.assert_refused(
            "title",
            "Ensure this value has at most 100 characters (it has 101).",
            title="通" * 101,
        )
        self.assert_refused(
            "doc_no", "Ensure this value has at most 50 characters (it has 51).", doc_no="号" * 51
        )
        self.assert_refused(
            "holidays",
            "Line 1: the name is longer than 20 characters.",
            holidays=f"{'节' * 21} 2027-10-01 2027-10-07",
        )

    def test_a_source_that_is_not_gov_cn(self) -> None:
        self.assert_refused(
            "source_url",
            "Give the notice's address on www.gov.cn.",
            source_url="https://example.com/2027.htm",
        )

    def test_an_issue_date_out_of_place(self) -> None:
        self.assert_refused(
            "issued_on", "A notice for 2027 is issued in 2026 or 2027.", issued_on="2025-11-01"
        )
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        if tomorrow.year in (2026, 2027):
            self.assert_refused(
                "issued_on",
                "The notice cannot be issued after today.",
                issued_on=tomorrow.isoformat(),
            )

    def test_the_page_names_the_field_of_each_problem_in_chinese(self) -> None:
        r = self.post(holidays="元旦 2027-01-01\n国庆节 2027-10-07 2027-10-01")
        self.assertContains(r, "<strong>节假日</strong>: 第2行")

    def test_a_december_day_the_year_before_already_holds_is_refused(self) -> None:
        SpecialDay.objects.create(notice_id=2026, day=D(2026, 12, 31), kind="off", name="测试")
        self.assert_refused(
            "holidays",
            "Line 1: 2026-12-31 is already in the calendar, by 国办发明电〔2025〕7号.",
            holidays="元旦 2026-12-31 2027-01-01",
        )


class EnterYearServiceTests(World):
    def made_up(self, **changes: Any) -> Notice:
        form = YearForm(MADE_UP_2027)
        self.assertTrue(form.is_valid(), form.errors)
        return dataclasses.replace(form.notice(), **changes)

    def test_only_the_zone_admin_may_enter_a_year(self) -> None:
        with self.assertRaises(NotAllowed):
            services.enter_year(self.made_up(), by=self.li)
        self.assertFalse(HolidayNotice.objects.filter(year=2027).exists())

    def test_the_form_reads_the_lines_into_the_notice(self) -> None:
        notice = self.made_up()
        self.assertEqual(
            notice.holidays,
            (
                Holiday("元旦", D(2027, 1, 1), D(2027, 1, 1)),
                Holiday("测试假日", D(2027, 10, 1), D(2027, 10, 7)),
            ),
        )
        self.assertEqual(notice.worked, (D(2027, 9, 26), D(2027, 10, 9)))

    def test_a_year_is_entered_once(self) -> None:
        notice = self.made_up()
        services.enter_year(notice, by=self.chen)
        with self.assertRaisesMessage(services.YearError, "2027 年已录入工作日历。"):
            services.enter_year(notice, by=self.chen)
        self.assertEqual(Entry.objects.filter(action="workdays.enter_year").count(), 1)

    def test_a_clash_the_form_did_not_see_writes_nothing(self) -> None:
        # As if another admin had written the day between the form's check and the insert.
        SpecialDay.objects.create(notice_id=2026, day=D(2026, 12, 31), kind="off", name="测试")
        clash = Holiday("元旦", D(2026, 12, 31), D(2027, 1, 1))
        with self.assertRaises(services.YearError):
            services.enter_year(self.made_up(holidays=(clash,)), by=self.chen)
        self.assertFalse(HolidayNotice.objects.filter(year=2027).exists())
        self.assertFalse(Entry.objects.filter(action="workdays.enter_year").exists())
