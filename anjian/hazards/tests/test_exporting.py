"""Exports of the ledger: the xlsx ledger, the national interface JSON, and an enterprise's
quarterly and annual statistics (xlsx, docx), each opened and read back."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from typing import Any

import docx
from django.http import HttpResponseBase
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation
from openpyxl import load_workbook

from anjian.accounts.models import User
from anjian.enterprises.models import Enterprise
from anjian.hazards.exporting import national
from anjian.hazards.exporting.labels import Labels
from anjian.hazards.exporting.ledger import LEDGER_HEADERS
from anjian.hazards.exporting.national import NATIONAL_NULL_FIELDS
from anjian.hazards.models import Hazard, HazardType, Level, Source, Status
from anjian.hazards.tests.factories import (
    HazardWorld,
    days,
    general,
    major,
    make_photo,
    step,
    today,
)
from anjian.hazards.workflow import register_hazard
from anjian.lib import http
from anjian.statistics import quarterly
from anjian.statistics.quarterly import Period, PeriodError, Statistics

XLSX = http.XLSX
DOCX = http.DOCX
LEDGER_URL = "/hazards/exports/ledger.xlsx"
JSON_URL = "/hazards/exports/ledger.json"
API = "/api/v1/hazards/exports"
COLUMN = {h: i for i, h in enumerate(LEDGER_HEADERS)}
# session, user with its region (scope), the ledger rows.
LEDGER_QUERIES = 3
# and before the rows, whether there are more than the background threshold (counted to one
# past it).
LEDGER_XLSX_QUERIES = LEDGER_QUERIES + 1


def zh(label: object) -> str:
    with translation.override("zh-hans"):
        return str(label)


def body(response: HttpResponseBase) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content  # type: ignore[attr-defined]


def rows_of(content: bytes, sheet: int = 0) -> list[tuple[Any, ...]]:
    wb = load_workbook(io.BytesIO(content))
    return [tuple(r) for r in wb.worksheets[sheet].iter_rows(values_only=True)]


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


class ExportWorld(HazardWorld):
    def hazard(self, enterprise: Enterprise, by: User | None = None, **data: Any) -> Hazard:
        """A general hazard an officer found, to rectify by a deadline (rectifying)."""
        return register_hazard(enterprise, general(**data), by=by or self.officer_of(enterprise))

    def officer_of(self, enterprise: Enterprise) -> User:
        return self.li if enterprise.office_id == self.o1.pk else self.qian

    def close(self, hazard: Hazard, on: datetime.date | None = None) -> Hazard:
        """Walk a rectifying hazard to closed; `on` moves its acceptance into the past."""
        officer = self.officer_of(hazard.enterprise)
        photo = make_photo(officer)
        step(hazard, "submit", officer, photo)
        step(hazard, "accept", officer, note="已复查，整改到位")
        if on is not None:
            Hazard.objects.filter(pk=hazard.pk).update(closed_at=at(on), accepted_at=at(on))
        return Hazard.objects.get(pk=hazard.pk)

    def one_in_each_grid(self) -> dict[str, Hazard]:
        return {
            "a": self.hazard(self.ea, name="A网格隐患"),
            "a2": self.hazard(self.ea2, name="A2网格隐患"),
            "b": self.hazard(self.eb, name="B网格隐患"),
        }


class LedgerXlsxTests(ExportWorld):
    def export(self, user: User, query: str = "") -> list[tuple[Any, ...]]:
        self.client.force_login(user)
        r = self.client.get(LEDGER_URL + query)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], XLSX)
        self.assertIn("attachment", r["Content-Disposition"])
        return rows_of(body(r))

    def names(self, user: User, query: str = "") -> set[str]:
        return {r[COLUMN["隐患名称"]] for r in self.export(user, query)[1:]}

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(LEDGER_URL)
        self.assertRedirects(r, f"/login/?next={LEDGER_URL}", fetch_redirect_response=False)

    def test_user_without_role_is_refused(self) -> None:
        self.client.force_login(self.nobody)
        self.assertEqual(self.client.get(LEDGER_URL).status_code, 403)

    def test_header_row_is_the_zones_ledger_columns(self) -> None:
        header = self.export(self.chen)[0]
        self.assertEqual(list(header), LEDGER_HEADERS)
        for name in (
            "编号",
            "企业名称",
            "统一社会信用代码",
            "网格",
            "属地（办事处/村）",
            "行业领域",
            "发现时间",
            "发现人",
            "隐患来源",
            "隐患位置",
            "隐患名称",
            "隐患类型",
            "人物管理分类",
            "判定依据",
            "隐患等级",
            "治理类型",
            "整改责任人",
            "整改期限",
            "整改措施",
            "整改资金（元）",
            "实际完成时间",
            "验收人",
            "验收时间",
            "验收意见",
            "状态",
            "是否逾期",
            "驳回次数",
            "延期次数",
        ):
            self.assertIn(name, header)

    def test_each_role_exports_its_own_scope_only(self) -> None:
        self.one_in_each_grid()
        self.assertEqual(self.names(self.chen), {"A网格隐患", "A2网格隐患", "B网格隐患"})
        self.assertEqual(self.names(self.zhou), {"A网格隐患", "A2网格隐患", "B网格隐患"})
        self.assertEqual(self.names(self.li), {"A网格隐患", "A2网格隐患"})
        self.assertEqual(self.names(self.qian), {"B网格隐患"})
        self.assertEqual(self.names(self.zhang), {"A网格隐患"})
        self.assertEqual(self.names(self.wang), {"B网格隐患"})
        self.assertEqual(self.names(self.zhao), {"A网格隐患"})
        self.assertEqual(self.names(self.wu), {"A网格隐患"})  # ea's competent department
        self.assertEqual(self.names(self.sun), set())

    def test_export_holds_the_filtered_rows(self) -> None:
        self.one_in_each_grid()
        register_hazard(self.ea, major(name="重大隐患甲"), by=self.li)
        self.assertEqual(self.names(self.chen, "?level=1"), {"重大隐患甲"})
        self.assertEqual(self.names(self.chen, f"?grid={self.grid_a2.pk}"), {"A2网格隐患"})
        self.assertEqual(self.names(self.li, "?q=B网格"), set())

    def test_bad_filters_answer_400_naming_the_field(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.get(LEDGER_URL + "?found_from=2026-05-01&found_to=2026-04-01")
        self.assertEqual(r.status_code, 400)
        self.assertIn("found_to", r.content.decode())

    def test_an_enterprise_outside_the_scope_is_a_bad_filter_not_a_leak(self) -> None:
        self.one_in_each_grid()
        self.client.force_login(self.zhao)
        r = self.client.get(LEDGER_URL + f"?enterprise={self.eb.pk}")
        self.assertEqual(r.status_code, 400)
        self.assertIn("enterprise", r.content.decode())

    def test_closed_hazard_row_carries_acceptance_and_labels(self) -> None:
        h = self.close(
            self.hazard(
                self.ea,
                name="配电箱未接地",
                location="二号车间",
                hazard_type=HazardType.ELECTRICAL,
                management_class="2",
                basis="GB 50054 第3.2条",
                liable_person="王工",
                measures="重新接地",
                funds=Decimal("1200.50"),
                found_on=days(-5),
                deadline=days(5),
            )
        )
        row = self.export(self.li)[1]
        value = {name: row[i] for name, i in COLUMN.items()}
        self.assertEqual(value["编号"], h.pk)
        self.assertEqual(value["企业名称"], self.ea.name)
        self.assertEqual(value["统一社会信用代码"], self.ea.uscc)
        self.assertEqual(value["网格"], self.grid_a.name)
        self.assertEqual(value["属地（办事处/村）"], f"{self.o1.name}/{self.v1.name}")
        self.assertEqual(value["发现时间"], datetime.datetime.combine(days(-5), datetime.time()))
        self.assertEqual(value["发现人"], "li")
        self.assertEqual(value["隐患来源"], zh(Source.GOVERNMENT.label))
        self.assertEqual(value["隐患类型"], zh(HazardType.ELECTRICAL.label))
        self.assertEqual(value["隐患等级"], zh(Level.GENERAL.label))
        self.assertEqual(value["整改资金（元）"], 1200.5)
        self.assertEqual(value["验收人"], "li")
        self.assertEqual(value["验收意见"], "已复查，整改到位")
        accepted = timezone.localtime(h.accepted_at).replace(tzinfo=None, microsecond=0)
        self.assertEqual(value["验收时间"].replace(microsecond=0), accepted)
        self.assertEqual(value["状态"], zh(Status.CLOSED.label))
        self.assertEqual((value["是否逾期"], value["逾期天数"]), ("否", None))
        self.assertEqual(value["实际完成时间"], datetime.datetime.combine(today(), datetime.time()))

    def test_overdue_is_derived_from_the_deadline(self) -> None:
        self.hazard(self.ea, name="逾期", found_on=days(-40), deadline=days(-10))
        self.hazard(self.ea, name="未到期", found_on=days(-40), deadline=days(10))
        late = self.close(
            self.hazard(self.ea, name="已关闭", found_on=days(-40), deadline=days(-1))
        )
        rows = {r[COLUMN["隐患名称"]]: r for r in self.export(self.li)[1:]}
        flag = (COLUMN["是否逾期"], COLUMN["逾期天数"])
        self.assertEqual(tuple(rows["逾期"][i] for i in flag), ("是", 10))
        self.assertEqual(tuple(rows["未到期"][i] for i in flag), ("否", None))
        self.assertEqual(tuple(rows[late.name][i] for i in flag), ("否", None))

    def test_text_that_looks_like_a_formula_stays_text(self) -> None:
        self.hazard(
            self.ea,
            name='=HYPERLINK("http://evil","x")',
            location="+86 车间",
            measures="-1 更换",
            description="@SUM(A1)",
        )
        self.client.force_login(self.li)
        wb = load_workbook(io.BytesIO(body(self.client.get(LEDGER_URL))))
        cells = [
            c
            for row in wb.worksheets[0].iter_rows(min_row=2)
            for c in row
            if isinstance(c.value, str) and c.value[:1] in "=+-@"
        ]
        self.assertEqual(
            sorted(str(c.value) for c in cells),
            ["+86 车间", "-1 更换", '=HYPERLINK("http://evil","x")', "@SUM(A1)"],
        )
        for cell in cells:
            self.assertEqual(cell.data_type, "s")

    def test_query_count_is_the_same_for_3_and_30_hazards(self) -> None:
        self.one_in_each_grid()
        self.client.force_login(self.chen)
        with self.assertNumQueries(LEDGER_XLSX_QUERIES):
            content = body(self.client.get(LEDGER_URL))
        self.assertEqual(len(rows_of(content)), 4)
        for i in range(27):
            self.hazard([self.ea, self.ea2, self.eb][i % 3], name=f"隐患{i:02d}")
        with self.assertNumQueries(LEDGER_XLSX_QUERIES):
            content = body(self.client.get(LEDGER_URL))
        self.assertEqual(len(rows_of(content)), 31)


class NationalJsonTests(ExportWorld):
    def records(self, user: User, query: str = "") -> list[dict[str, Any]]:
        self.client.force_login(user)
        r = self.client.get(JSON_URL + query)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "application/json")
        return json.loads(body(r))

    def by_name(self, user: User) -> dict[str, dict[str, Any]]:
        return {r["dangerName"]: r for r in self.records(user)}

    def test_anonymous_is_sent_to_login_and_no_role_is_refused(self) -> None:
        r = self.client.get(JSON_URL)
        self.assertRedirects(r, f"/login/?next={JSON_URL}", fetch_redirect_response=False)
        self.client.force_login(self.nobody)
        self.assertEqual(self.client.get(JSON_URL).status_code, 403)

    def test_each_role_exports_its_own_scope_only(self) -> None:
        self.one_in_each_grid()
        self.assertEqual(set(self.by_name(self.zhao)), {"A网格隐患"})
        self.assertEqual(set(self.by_name(self.zhang)), {"A网格隐患"})
        self.assertEqual(set(self.by_name(self.li)), {"A网格隐患", "A2网格隐患"})
        self.assertEqual(set(self.by_name(self.wang)), {"B网格隐患"})
        self.assertEqual(self.records(self.sun), [])

    def test_an_empty_ledger_is_an_empty_array(self) -> None:
        self.assertEqual(self.records(self.chen), [])

    def test_fields_and_codes_follow_the_national_interface(self) -> None:
        h = self.hazard(
            self.ea,
            name="消防通道堵塞",
            description="堆放货物",
            reason="管理不到位",
            hazard_type=HazardType.FIRE,
            management_class="3",
            measures="清理通道",
            funds=Decimal("300"),
            liable_person="王工",
            deadline=days(5),
        )
        self.close(h)
        r = self.by_name(self.li)["消防通道堵塞"]
        self.assertEqual(r["id"], h.pk)
        self.assertEqual((r["companyName"], r["creditCode"]), (self.ea.name, self.ea.uscc))
        self.assertEqual((r["dangerDesc"], r["dangerReason"]), ("堆放货物", "管理不到位"))
        self.assertEqual(r["dangerLevel"], "0")
        self.assertEqual(r["dangerSrc"], "11")
        self.assertEqual(r["dangerManageType"], "1")
        self.assertEqual(r["hazardDangerType"], "5")
        self.assertEqual(r["managementClassification"], "3")
        self.assertEqual((r["controlMeasures"], r["cost"]), ("清理通道", 300.0))
        self.assertEqual(r["liablePerson"], "王工")
        self.assertEqual(r["dangerManageDeadline"], days(5).isoformat())
        self.assertEqual(r["dangerState"], "9")
        self.assertEqual(r["checkAcceptPerson"], "li")
        self.assertEqual(r["checkAcceptComment"], "已复查，整改到位")
        accepted = Hazard.objects.get(pk=h.pk).accepted_at
        assert accepted is not None
        self.assertEqual(
            r["checkAcceptTime"], timezone.localtime(accepted).strftime("%Y-%m-%d %H:%M:%S")
        )
        self.assertEqual(r["registrant"], "li")
        self.assertRegex(r["registTime"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
        self.assertEqual(r["deleted"], "0")

    def test_fields_without_a_source_are_null_never_invented(self) -> None:
        self.hazard(self.ea)
        record = self.records(self.li)[0]
        for name in NATIONAL_NULL_FIELDS:
            self.assertIn(name, record)
            self.assertIsNone(record[name], name)

    def test_danger_state_follows_the_status(self) -> None:
        officer, photo = self.li, make_photo(self.li)
        self.hazard(self.ea, name="整改中")
        step(self.hazard(self.ea, name="待验收"), "submit", officer, photo)
        self.close(self.hazard(self.ea, name="已验收"))
        step(self.hazard(self.ea, name="作废"), "void", officer)
        big = register_hazard(self.ea, major(name="重大"), by=officer)
        records = self.by_name(self.li)
        states = {name: r["dangerState"] for name, r in records.items()}
        self.assertEqual(
            states, {"整改中": "0", "待验收": "1", "已验收": "9", "作废": "0", "重大": "0"}
        )
        self.assertEqual(records["作废"]["deleted"], "1")
        self.assertEqual(records["重大"]["dangerLevel"], "1")
        self.assertEqual(records["重大"]["id"], big.pk)

    def test_json_lines_on_request(self) -> None:
        self.one_in_each_grid()
        self.client.force_login(self.chen)
        r = self.client.get(JSON_URL + "?format=jsonl&level=0")
        self.assertEqual(r["Content-Type"], "application/x-ndjson")
        lines = body(r).decode().splitlines()
        self.assertEqual(len(lines), 3)
        self.assertEqual(
            {json.loads(line)["dangerName"] for line in lines},
            {"A网格隐患", "A2网格隐患", "B网格隐患"},
        )

    def test_records_stream_in_chunks_that_join_into_one_array(self) -> None:
        records = [{"n": i} for i in range(5)]
        chunks = list(national.json_array_chunks(records, per_chunk=2))
        self.assertGreater(len(chunks), 3)
        self.assertEqual(json.loads(b"".join(chunks)), records)

    def test_query_count_is_the_same_for_3_and_30_hazards(self) -> None:
        self.one_in_each_grid()
        self.client.force_login(self.chen)
        with self.assertNumQueries(LEDGER_QUERIES):
            self.assertEqual(len(json.loads(body(self.client.get(JSON_URL)))), 3)
        for i in range(27):
            self.hazard([self.ea, self.ea2, self.eb][i % 3], name=f"隐患{i:02d}")
        with self.assertNumQueries(LEDGER_QUERIES):
            self.assertEqual(len(json.loads(body(self.client.get(JSON_URL)))), 30)


class PeriodTests(ExportWorld):
    def test_a_quarter_runs_three_months_and_is_due_the_15th_of_the_next(self) -> None:
        q3 = Period.parse("2026Q3")
        self.assertEqual(
            (q3.start, q3.end), (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
        )
        self.assertEqual(q3.due, datetime.date(2026, 10, 15))
        self.assertEqual(q3.label, "2026年第三季度")
        self.assertEqual(Period.parse("2026q1").end, datetime.date(2026, 3, 31))

    def test_the_fourth_quarter_is_due_in_january(self) -> None:
        self.assertEqual(Period.parse("2026Q4").due, datetime.date(2027, 1, 15))

    def test_a_year_is_due_on_31_january(self) -> None:
        year = Period.parse(" 2026 ")
        self.assertEqual(
            (year.start, year.end), (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
        )
        self.assertEqual(year.due, datetime.date(2027, 1, 31))
        self.assertEqual((year.code, year.label), ("2026", "2026年度"))

    def test_anything_else_is_refused(self) -> None:
        for text in ("", "26", "2026Q5", "2026Q", "2026-3", "Q3", "2026Q3x", "0000", "9999Q4"):
            with self.subTest(text=text), self.assertRaises(PeriodError):
                Period.parse(text)


def stats_row(**data: Any) -> dict[str, Any]:
    row = {
        "name": "隐患",
        "level": Level.GENERAL,
        "source": Source.DAILY,
        "hazard_type": HazardType.SAFETY,
        "status": Status.RECTIFYING,
        "found_on": datetime.date(2025, 5, 1),
        "deadline": None,
        "closed_at": None,
        "funds": None,
        "liable_person": "",
        "production_suspended": False,
    }
    return {**row, **data}


class SummariseTests(ExportWorld):
    def empty(self, period: str = "2025Q2") -> Statistics:
        return Statistics(
            "企业",
            "",
            "",
            "",
            Period.parse(period),
            datetime.date(2025, 6, 30),
            datetime.date(2026, 1, 5),
        )

    def test_counts_rectified_as_of_the_end_of_the_period(self) -> None:
        stats = self.empty()
        rows = [
            stats_row(
                status=Status.CLOSED, closed_at=at(datetime.date(2025, 6, 1)), funds=Decimal("100")
            ),
            stats_row(
                status=Status.CLOSED,
                closed_at=at(datetime.date(2025, 7, 3)),
                funds=Decimal("50"),
                deadline=datetime.date(2025, 6, 1),
            ),
            stats_row(source=Source.GOVERNMENT, deadline=datetime.date(2025, 7, 15)),
        ]
        quarterly.summarise(stats, rows, Labels.zh())
        self.assertEqual((stats.general.found, stats.general.rectified), (3, 1))
        self.assertEqual(stats.general.rate, "33.3%")
        self.assertEqual(stats.overdue, 1)
        self.assertEqual(
            (stats.funds_rectified, stats.funds_total), (Decimal("100"), Decimal("150"))
        )
        self.assertEqual(
            {k: (t.found, t.rectified) for k, t in stats.by_source.items()},
            {zh(Source.DAILY.label): (2, 1), zh(Source.GOVERNMENT.label): (1, 0)},
        )

    def test_major_hazards_carried_over_are_listed_not_counted(self) -> None:
        stats = self.empty()
        rows = [
            stats_row(
                level=Level.MAJOR,
                found_on=datetime.date(2025, 1, 9),
                name="旧重大",
                status=Status.REMEDIATING,
                production_suspended=True,
            ),
            stats_row(level=Level.MAJOR, name="新重大", status=Status.REPORTED),
        ]
        quarterly.summarise(stats, rows, Labels.zh())
        self.assertEqual((stats.major.found, stats.general.found), (1, 0))
        self.assertEqual([m.name for m in stats.majors], ["旧重大", "新重大"])
        self.assertTrue(stats.majors[0].production_suspended)
        self.assertEqual(stats.majors[0].status, zh(Status.REMEDIATING.label))

    def test_a_period_without_hazards_has_no_rate(self) -> None:
        stats = self.empty()
        quarterly.summarise(stats, [], Labels.zh())
        self.assertEqual((stats.total.found, stats.total.rate), (0, "—"))


class StatisticsTests(ExportWorld):
    """EA in 2025Q2: five hazards counted, one rectified in time, two overdue at its end."""

    url = "/hazards/exports/statistics/{}/"

    def setUp(self) -> None:
        super().setUp()
        Enterprise.objects.filter(pk=self.ea.pk).update(principal="赵总")
        d = datetime.date
        self.close(
            self.hazard(
                self.ea,
                name="已整改",
                found_on=d(2025, 4, 2),
                deadline=d(2025, 4, 30),
                source=Source.DAILY,
                funds=Decimal("1200"),
            ),
            on=d(2025, 4, 20),
        )
        self.hazard(
            self.ea,
            name="逾期",
            found_on=d(2025, 5, 10),
            deadline=d(2025, 5, 20),
            hazard_type=HazardType.FIRE,
        )
        self.hazard(
            self.ea,
            name="未到期",
            found_on=d(2025, 6, 1),
            deadline=d(2025, 7, 31),
            funds=Decimal("800"),
        )
        self.close(
            self.hazard(self.ea, name="期后整改", found_on=d(2025, 4, 15), deadline=d(2025, 5, 1))
        )
        register_hazard(self.ea, major(name="本期重大", found_on=d(2025, 5, 1)), by=self.li)
        register_hazard(self.ea, major(name="上期重大", found_on=d(2025, 1, 10)), by=self.li)
        step(self.hazard(self.ea, name="作废", found_on=d(2025, 5, 5)), "void", self.li)
        self.hazard(self.ea, name="下季度", found_on=d(2025, 7, 5), deadline=d(2025, 7, 30))
        self.hazard(self.ea2, name="别家", found_on=d(2025, 5, 5), deadline=d(2025, 7, 30))

    def build(self, user: User | None = None, period: str = "2025Q2") -> Statistics:
        visible = Hazard.objects.visible_to(user or self.chen)
        return quarterly.build_statistics(
            Enterprise.objects.select_related("office", "village", "grid").get(pk=self.ea.pk),
            visible,
            Period.parse(period),
            today(),
        )

    def test_the_builder_counts_the_period_as_it_stood_at_its_end(self) -> None:
        stats = self.build()
        self.assertEqual(stats.as_of, datetime.date(2025, 6, 30))
        self.assertEqual((stats.general.found, stats.general.rectified), (4, 1))
        self.assertEqual((stats.major.found, stats.major.rectified), (1, 0))
        self.assertEqual((stats.total.found, stats.total.rate), (5, "20.0%"))
        self.assertEqual(stats.overdue, 2)
        self.assertEqual(stats.funds_rectified, Decimal("1200"))
        self.assertEqual(stats.funds_total, Decimal("2000"))
        self.assertEqual([m.name for m in stats.majors], ["上期重大", "本期重大"])
        self.assertEqual(stats.by_source[zh(Source.DAILY.label)].rectified, 1)
        self.assertEqual(stats.by_type[zh(HazardType.FIRE.label)].found, 1)

    def test_each_count_of_the_form_links_to_the_hazards_it_counts(self) -> None:
        """The JSON form names, for each row, the ledger lists behind its found and rectified
        figures (issue 9: every figure carries its list); their counts are the figures."""
        self.client.force_login(self.chen)
        for period in ("2025Q2", "2025"):
            body = self.client.get(
                f"/api/v1/hazards/exports/statistics/{self.ea.pk}?period={period}"
            ).json()
            rows = [*body["by_level"], *body["by_source"], *body["by_type"]]
            self.assertGreater(len(rows), 4)
            for row in rows:
                for figure in ("found", "rectified"):
                    with self.subTest(period=period, row=row["name"], figure=figure):
                        listed = self.client.get(f"{row[figure + '_list']}&with_count=true")
                        self.assertEqual(listed.status_code, 200)
                        self.assertEqual(listed.json()["count"], row[figure])

    def test_the_year_counts_every_quarter(self) -> None:
        stats = self.build(period="2025")
        self.assertEqual((stats.total.found, stats.major.found), (7, 2))
        self.assertEqual(stats.as_of, datetime.date(2025, 12, 31))

    def download(self, user: User, enterprise: Enterprise, query: str) -> HttpResponseBase:
        self.client.force_login(user)
        return self.client.get(self.url.format(enterprise.pk) + query)

    def test_permission_ladder(self) -> None:
        r = self.client.get(self.url.format(self.ea.pk) + "?period=2025Q2")
        self.assertEqual(r.status_code, 302)
        self.assertEqual(self.download(self.nobody, self.ea, "?period=2025Q2").status_code, 403)
        allowed = [
            (self.zhao, self.ea),
            (self.zhang, self.ea),
            (self.li, self.ea),
            (self.li, self.ea2),
            (self.wang, self.eb),
            (self.qian, self.eb),
            (self.chen, self.eb),
            (self.wu, self.ea),
        ]
        refused = [
            (self.zhao, self.ea2),
            (self.zhang, self.ea2),
            (self.zhang, self.eb),
            (self.li, self.eb),
            (self.qian, self.ea),
            (self.wang, self.ea),
            (self.wu, self.ea2),
            (self.sun, self.ea),
        ]
        for user, enterprise in allowed:
            with self.subTest(user=user.username, enterprise=enterprise.name):
                self.assertEqual(self.download(user, enterprise, "?period=2025Q2").status_code, 200)
        for user, enterprise in refused:
            with self.subTest(user=user.username, enterprise=enterprise.name):
                self.assertEqual(self.download(user, enterprise, "?period=2025Q2").status_code, 404)

    def test_a_bad_period_goes_back_to_the_enterprise_with_the_reason(self) -> None:
        r = self.download(self.zhao, self.ea, "?period=2025Q9&format=docx")
        self.assertRedirects(r, f"/enterprises/{self.ea.pk}/", fetch_redirect_response=False)
        messages = [str(m) for m in r.wsgi_request._messages]  # type: ignore[attr-defined]
        self.assertEqual(messages, ["Write the period as a quarter (2026Q3) or a year (2026)."])

    def test_a_year_out_of_range_is_a_message_not_a_500(self) -> None:
        for period in ("0000", "9999", "9999Q4"):
            with self.subTest(period=period):
                r = self.download(self.zhao, self.ea, f"?period={period}&format=docx")
                self.assertRedirects(
                    r, f"/enterprises/{self.ea.pk}/", fetch_redirect_response=False
                )
        self.client.force_login(self.zhao)
        api = self.client.get(f"/api/v1/hazards/exports/statistics/{self.ea.pk}?period=9999Q4")
        self.assertEqual(api.status_code, 422)
        self.assertEqual(api.json()["errors"][0]["field"], "period")

    def test_xlsx_holds_the_form(self) -> None:
        r = self.download(self.zhao, self.ea, "?period=2025Q2&format=xlsx")
        self.assertEqual(r["Content-Type"], XLSX)
        self.assertIn("2025Q2.xlsx", r["Content-Disposition"])
        rows = rows_of(body(r))
        self.assertEqual(rows[0][0], "生产经营单位事故隐患排查治理统计分析表（2025年第二季度）")
        cells = [c for row in rows for c in row if c is not None]
        self.assertIn(f"单位名称：{self.ea.name}", cells)
        self.assertIn("报送期限：2025年7月15日前", cells)
        self.assertTrue(any("第十四条" in str(c) for c in cells))
        self.assertTrue(any(str(c).startswith("主要负责人：赵总") for c in cells))
        by_first = {row[0]: row for row in rows if row and row[0]}
        self.assertEqual(by_first["一般事故隐患"][1:5], (4, 1, 3, "25.0%"))
        self.assertEqual(by_first["重大事故隐患"][1:5], (1, 0, 1, "0.0%"))
        self.assertEqual(by_first["合计"][1:5], (5, 1, 4, "20.0%"))
        self.assertEqual(by_first["逾期未整改隐患（项）"][1], 2)
        self.assertEqual(by_first["已整改隐患投入整改资金（元）"][1], "1200.00")
        self.assertEqual(by_first["上期重大"][2], zh(Status.REPORTED.label))

    def test_docx_holds_the_form_and_the_signature_line(self) -> None:
        r = self.download(self.zhao, self.ea, "?period=2025&format=docx")
        self.assertEqual(r["Content-Type"], DOCX)
        document = docx.Document(io.BytesIO(body(r)))
        text = [p.text for p in document.paragraphs]
        self.assertEqual(text[0], "生产经营单位事故隐患排查治理统计分析表（2025年度）")
        self.assertIn("报送期限：2026年1月31日前", text)
        self.assertTrue(any(t.startswith("依据：") and "第十四条" in t for t in text))
        self.assertTrue(any(t.startswith("主要负责人：赵总") and "签字" in t for t in text))
        summary = [[c.text for c in row.cells] for row in document.tables[0].rows]
        self.assertEqual(summary[0][0], "隐患等级")
        self.assertEqual(summary[3], ["合计", "7", "1", "6", "14.3%"])
        majors = [[c.text for c in row.cells] for row in document.tables[4].rows]
        self.assertEqual([row[0] for row in majors[1:]], ["上期重大", "本期重大"])

    def test_an_enterprise_without_hazards_gets_an_empty_form(self) -> None:
        r = self.download(self.wang, self.eb, "?period=2024Q1&format=docx")
        document = docx.Document(io.BytesIO(body(r)))
        majors = [[c.text for c in row.cells] for row in document.tables[4].rows]
        self.assertEqual(majors[1][0], "无")
        summary = [[c.text for c in row.cells] for row in document.tables[0].rows]
        self.assertEqual(summary[3], ["合计", "0", "0", "0", "—"])

    def test_query_count_does_not_grow_with_the_hazards(self) -> None:
        self.client.force_login(self.zhao)
        url = self.url.format(self.ea.pk) + "?period=2025&format=xlsx"
        # session, user, the scope (Zhao's enterprise), the enterprise, the hazards.
        with self.assertNumQueries(5):
            self.client.get(url)
        for i in range(20):
            self.hazard(
                self.ea,
                name=f"隐患{i}",
                found_on=datetime.date(2025, 3, 1),
                deadline=datetime.date(2025, 3, 2),
            )
        with self.assertNumQueries(5):
            r = self.client.get(url)
        total = next(row for row in rows_of(body(r)) if row[0] == "合计")
        self.assertEqual(total[1], 27)

    def test_the_enterprise_page_offers_the_statistics(self) -> None:
        self.client.force_login(self.zhao)
        page = self.client.get(f"/enterprises/{self.ea.pk}/").content.decode()
        self.assertIn('id="statistics-exports"', page)
        self.assertIn(f'action="/hazards/exports/statistics/{self.ea.pk}/"', page)


class ExportsBlockTests(ExportWorld):
    def test_the_ledger_page_block_carries_the_current_filters(self) -> None:
        request = RequestFactory().get("/hazards/", {"level": "1", "state": "overdue"})
        html = render_to_string("hazards/_exports.html", request=request)
        self.assertIn('href="/hazards/exports/ledger.xlsx?level=1&amp;state=overdue"', html)
        self.assertIn('href="/hazards/exports/ledger.json?level=1&amp;state=overdue"', html)
        self.assertIn("level=1&amp;state=overdue&amp;format=jsonl", html)


class ExportApiTests(ExportWorld):
    def test_anonymous_gets_401_and_a_role_without_hazards_403(self) -> None:
        for path in ("/ledger.xlsx", "/ledger.json", f"/statistics/{self.ea.pk}?period=2025"):
            with self.subTest(path=path):
                self.client.logout()
                self.assertEqual(self.client.get(API + path).status_code, 401)
                self.client.force_login(self.nobody)
                self.assertEqual(self.client.get(API + path).status_code, 403)

    def test_ledger_xlsx_is_scoped_and_filtered(self) -> None:
        self.one_in_each_grid()
        self.client.force_login(self.zhang)
        r = self.client.get(API + "/ledger.xlsx")
        self.assertEqual((r.status_code, r["Content-Type"]), (200, XLSX))
        self.assertEqual([row[COLUMN["隐患名称"]] for row in rows_of(body(r))[1:]], ["A网格隐患"])
        self.client.force_login(self.chen)
        r = self.client.get(API + "/ledger.xlsx", {"grid": self.grid_b.pk})
        self.assertEqual([row[COLUMN["隐患名称"]] for row in rows_of(body(r))[1:]], ["B网格隐患"])

    def test_bad_filters_answer_422_naming_the_field(self) -> None:
        self.client.force_login(self.zhao)
        r = self.client.get(API + "/ledger.json", {"enterprise": self.eb.pk})
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["field"], "enterprise")
        r = self.client.get(API + "/ledger.json", {"format": "csv"})
        self.assertEqual((r.status_code, r.json()["errors"][0]["field"]), (422, "format"))

    def test_ledger_json_and_json_lines(self) -> None:
        self.one_in_each_grid()
        self.client.force_login(self.li)
        records = json.loads(body(self.client.get(API + "/ledger.json")))
        self.assertEqual({r["dangerName"] for r in records}, {"A网格隐患", "A2网格隐患"})
        r = self.client.get(API + "/ledger.json", {"format": "jsonl"})
        self.assertEqual(r["Content-Type"], "application/x-ndjson")
        self.assertEqual(len(body(r).splitlines()), 2)

    def test_statistics_as_json(self) -> None:
        self.close(
            self.hazard(
                self.ea,
                name="甲",
                found_on=datetime.date(2025, 8, 1),
                deadline=datetime.date(2025, 8, 9),
            ),
            on=datetime.date(2025, 8, 8),
        )
        self.hazard(self.ea, name="乙", found_on=datetime.date(2025, 8, 2))
        self.client.force_login(self.zhao)
        r = self.client.get(API + f"/statistics/{self.ea.pk}", {"period": "2025Q3"})
        self.assertEqual(r.status_code, 200)
        data = r.json()
        self.assertEqual((data["period"], data["due"]), ("2025Q3", "2025-10-15"))
        self.assertIn("第十四条", data["due_source"])
        total = data["by_level"][2]
        self.assertEqual((total["name"], total["found"], total["rectified"]), ("合计", 2, 1))
        self.assertEqual(total["rate"], "50.0%")

    def test_statistics_files_out_of_scope_and_bad_period(self) -> None:
        self.client.force_login(self.zhao)
        url = API + f"/statistics/{self.ea.pk}"
        r = self.client.get(url, {"period": "2025", "format": "docx"})
        self.assertEqual((r.status_code, r["Content-Type"]), (200, DOCX))
        r = self.client.get(url, {"period": "2025Q2", "format": "xlsx"})
        self.assertEqual((r.status_code, r["Content-Type"]), (200, XLSX))
        r = self.client.get(API + f"/statistics/{self.ea2.pk}", {"period": "2025"})
        self.assertEqual(r.status_code, 404)
        r = self.client.get(url, {"period": "2025年"})
        self.assertEqual((r.status_code, r.json()["errors"][0]["field"]), (422, "period"))
        r = self.client.get(url)
        self.assertEqual((r.status_code, r.json()["errors"][0]["field"]), (422, "period"))

    def test_openapi_declares_the_files_and_the_errors(self) -> None:
        from config.api import api

        paths = api.get_openapi_schema()["paths"]
        ledger = paths["/api/v1/hazards/exports/ledger.xlsx"]["get"]["responses"]
        self.assertIn(XLSX, ledger[200]["content"])
        self.assertEqual(sorted(ledger), [200, 202, 401, 403, 422])
        national = paths["/api/v1/hazards/exports/ledger.json"]["get"]
        self.assertIn("application/x-ndjson", national["responses"][200]["content"])
        for name in NATIONAL_NULL_FIELDS:
            self.assertIn(f"`{name}`", national["description"])
        stats = paths["/api/v1/hazards/exports/statistics/{enterprise_id}"]["get"]["responses"]
        self.assertEqual(set(stats[200]["content"]), {"application/json", XLSX, DOCX})
        self.assertEqual(sorted(stats), [200, 401, 403, 404, 422])
