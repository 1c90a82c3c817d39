"""Importing hazard ledgers: the round trip, hand-written ledgers, matching, states, duplicates
and bad files."""

from __future__ import annotations

import dataclasses
import datetime
import io
import itertools
import re
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection
from django.db.models import CheckConstraint, Value
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import localtime
from openpyxl import Workbook, load_workbook

from anjian.audit.models import Entry
from anjian.hazards import importing
from anjian.hazards.exporting import ledger
from anjian.hazards.importing import rows
from anjian.hazards.importing.vocabulary import HEADERS
from anjian.hazards.models import Finder, Hazard, HazardEvent, Level, RectifyType, Source, Status
from anjian.hazards.tests.factories import HazardWorld, days, hazard_in, make_photo, today
from anjian.imports.models import ImportBatch, ImportKind
from anjian.lib.errors import NotAllowed
from anjian.statistics import quarterly
from anjian.test import make_enterprise


def xlsx(rows: Sequence[Sequence[Any]], merges: Sequence[str] = ()) -> bytes:
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    for merge in merges:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def ledger_xlsx(qs: Any) -> bytes:
    return ledger.render_ledger_xlsx(ledger.ledger_rows(qs, today()))


def sheet_rows(content: bytes) -> list[list[Any]]:
    wb = load_workbook(io.BytesIO(content))
    sheet = wb.worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def figures(stats: quarterly.Statistics) -> quarterly.Statistics:
    """The statistics with the major hazards in a fixed order (ids differ after an import)."""
    return dataclasses.replace(stats, majors=sorted(stats.majors, key=repr))


HAND_HEADER = "企业名称,存在问题,隐患等级,检查时间,检查人,整改措施,整改期限,是否整改,整改完成时间\n"


class ImportTestCase(HazardWorld):
    def preview(self, content: bytes, name: str = "台账.csv", by: Any = None) -> Any:
        return importing.preview(content, name, by=by or self.chen)

    def commit(self, content: bytes, name: str = "台账.csv", by: Any = None, **kw: Any) -> Any:
        kw.setdefault("on_duplicate", None)
        return importing.commit(content, name, by=by or self.chen, **kw)

    def errors(self, report: Any) -> list[tuple[int, str, str]]:
        return [(e.row, e.column, e.message) for e in report.errors]


class RoundTripTests(ImportTestCase):
    """Item 6: a zone's exported ledger, imported into the same enterprises with no hazards,
    gives the same ledger and the same figures."""

    def test_exported_ledger_imports_back_to_the_same_ledger_and_figures(self) -> None:
        photo = make_photo(self.li)
        for status in (
            Status.REGISTERED,
            Status.RECTIFYING,
            Status.SUBMITTED,
            Status.CLOSED,
            Status.VOID,
            Status.REPORTED,
            Status.PLAN_FILED,
            Status.WRITTEN_OFF,
        ):
            hazard_in(status, self.ea, self.li, photo)
        hazard_in(Status.CLOSED, self.eb, self.qian, make_photo(self.qian))
        overdue = hazard_in(Status.RECTIFYING, self.ea2, self.li, photo)
        Hazard.objects.filter(pk=overdue.pk).update(
            found_on=days(-40), deadline=days(-10), description='=HYPERLINK("x") 配电箱'
        )
        zone = Hazard.objects.visible_to(self.chen)
        before = ledger_xlsx(zone)
        period = quarterly.Period.parse(str(today().year))
        figures_before = {
            e.pk: figures(quarterly.build_statistics(e, zone, period, today()))
            for e in (self.ea, self.ea2, self.eb)
        }

        Hazard.objects.all().delete()
        report = self.commit(before, "台账.xlsx", on_duplicate="keep")

        self.assertTrue(report.committed, report.errors)
        self.assertEqual(report.created, 10)
        # Same name at the same enterprise on the same day: flagged, kept because told to.
        self.assertTrue(report.duplicates)
        after = ledger_xlsx(Hazard.objects.visible_to(self.chen))
        strip = lambda rows: sorted(repr(r[1:]) for r in rows[1:])  # noqa: E731 — 编号 is new
        self.assertEqual(strip(sheet_rows(after)), strip(sheet_rows(before)))
        for enterprise in (self.ea, self.ea2, self.eb):
            again = figures(
                quarterly.build_statistics(
                    enterprise, Hazard.objects.visible_to(self.chen), period, today()
                )
            )
            self.assertEqual(again, figures_before[enterprise.pk], enterprise.name)
        imported = Hazard.objects.get(enterprise=self.ea2)
        self.assertTrue(imported.is_overdue())
        self.assertEqual(imported.description, '=HYPERLINK("x") 配电箱')

    def test_formula_looking_text_is_stored_as_text_and_exported_as_text(self) -> None:
        texts = ["=1+2 配电箱堆物", "+86 电话未公示", "-5℃ 冷库门损坏", "@所有人 通道堵塞"]
        lines = "".join(
            f"{self.ea.name},{t},一般,2026-01-0{i + 1},张,清理,,否,\n" for i, t in enumerate(texts)
        )
        report = self.commit(csv(HAND_HEADER + lines))
        self.assertTrue(report.committed, report.errors)
        self.assertEqual(
            sorted(Hazard.objects.values_list("description", flat=True)), sorted(texts)
        )
        wb = load_workbook(io.BytesIO(ledger_xlsx(Hazard.objects.visible_to(self.chen))))
        sheet = wb.worksheets[0]
        column = ledger.LEDGER_HEADERS.index("隐患描述") + 1
        cells = [sheet.cell(row=r, column=column) for r in range(2, 6)]
        self.assertEqual(sorted(c.value for c in cells), sorted(texts))
        self.assertEqual({c.data_type for c in cells}, {"s"})


class HandWrittenLedgerTests(ImportTestCase):
    def test_a_hand_written_csv_with_the_zones_own_headers(self) -> None:
        content = csv(
            "某某办事处2025年隐患排查治理台账\n"
            + HAND_HEADER
            + f"{self.ea.name},消防通道堵塞,一般,2025-03-04,张三,清理通道,2025-03-20,是,2025-03-18\n"
            + f"{self.eb.name},配电箱无防护罩,重大隐患,2025/4/1,李四,加装防护,2025-05-01,否,\n",
            "gbk",
        )
        report = self.commit(content)
        self.assertTrue(report.committed, report.errors)
        self.assertEqual(report.header_row, 2)
        closed = Hazard.objects.get(enterprise=self.ea)
        self.assertEqual(closed.status, Status.CLOSED)
        self.assertEqual(closed.found_on, datetime.date(2025, 3, 4))
        self.assertEqual(closed.rectified_on, datetime.date(2025, 3, 18))
        self.assertEqual(closed.found_by_name, "张三")
        self.assertEqual(closed.finder, Finder.IMPORT)
        self.assertEqual(closed.source, Source.OTHER)
        self.assertTrue(closed.imported)
        self.assertEqual(closed.closed_at, closed.accepted_at)
        major = Hazard.objects.get(enterprise=self.eb)
        self.assertEqual((major.level, major.status), (Level.MAJOR, Status.CONFIRMED))
        self.assertTrue(major.is_overdue())

    def test_history_is_written_as_imported_events_with_file_row_and_importer(self) -> None:
        content = csv(
            HAND_HEADER
            + f"{self.ea.name},消防通道堵塞,一般,2025-03-04,张三,清理通道,2025-03-20,是,2025-03-18\n"
        )
        report = self.commit(content, "东城台账.csv")
        hazard = Hazard.objects.get()
        events = list(HazardEvent.objects.filter(hazard=hazard))
        self.assertEqual(
            [(e.action, e.to_status) for e in events],
            [("register", "rectifying"), ("submit", "submitted"), ("accept", "closed")],
        )
        self.assertTrue(all(e.imported and e.source_row == 2 for e in events))
        self.assertEqual({e.actor_id for e in events}, {self.chen.pk})
        batch = ImportBatch.objects.get(pk=report.batch)
        self.assertEqual(
            (batch.kind, batch.filename, batch.rows), (ImportKind.HAZARDS, "东城台账.csv", 1)
        )
        self.assertIsNotNone(batch.committed_at)
        self.assertEqual(events[0].batch_id, batch.pk)
        self.assertEqual(events[0].at.date(), datetime.date(2025, 3, 4))
        entry = Entry.objects.get(action="hazard.import")
        self.assertEqual(entry.channel, "import")
        self.assertEqual(entry.changes["row"], 2)

    def test_title_row_and_merged_group_headings_above_the_headers(self) -> None:
        rows: list[list[Any]] = [
            ["2025年隐患排查治理台账", None, None, None, None],
            ["企业名称", "隐患情况", None, "整改情况", None],
            [None, "隐患描述", "发现时间", "整改措施", "整改期限"],
            [
                self.ea.name,
                "灭火器过期",
                datetime.date(2025, 6, 1),
                "更换",
                datetime.date(2025, 6, 30),
            ],
        ]
        content = xlsx(rows, merges=["A1:E1", "A2:A3", "B2:C2", "D2:E2"])
        report = self.commit(content, "台账.xlsx")
        self.assertTrue(report.committed, (report.file_error, report.errors))
        self.assertEqual(report.header_row, 3)
        hazard = Hazard.objects.get()
        self.assertEqual((hazard.name, hazard.deadline), ("灭火器过期", datetime.date(2025, 6, 30)))
        self.assertEqual(hazard.measures, "更换")

    def test_the_headers_zones_write_by_hand_are_recognised(self) -> None:
        header = (
            "单位名称,隐患内容,隐患等级,隐患类别,检查时间,检查人,整改措施,整改责任人,"
            "责任部门,要求整改日期,整改资金,整改情况,整改完成时间,验收人,验收时间,判定依据,"
            "隐患位置\n"
        )
        row = (
            f"{self.ea.name},叉车无证驾驶,一般,安全,2025-05-06,张三,培训取证,王五,设备科,"
            '2025-06-06,"1,200元",已整改,2025-06-01,李四,2025-06-02 09:00,'
            "工贸企业重大事故隐患判定标准 第四条,二号车间\n"
        )
        report = self.commit(csv(header + row))
        self.assertTrue(report.committed, report.errors)
        self.assertEqual(report.unknown_headers, [])
        h = Hazard.objects.get()
        self.assertEqual(
            (h.description, h.found_by_name, h.measures, h.liable_person, h.location),
            ("叉车无证驾驶", "张三", "培训取证", "设备科 王五", "二号车间"),
        )
        self.assertEqual(
            (h.deadline, h.rectified_on), (datetime.date(2025, 6, 6), datetime.date(2025, 6, 1))
        )
        self.assertEqual(
            (h.funds, h.acceptor_name, h.status), (Decimal("1200.00"), "李四", "closed")
        )
        self.assertEqual(h.basis, "工贸企业重大事故隐患判定标准 第四条")

    def test_unknown_choice_is_a_row_error_naming_column_and_allowed_values(self) -> None:
        content = csv(
            "企业名称,隐患描述,隐患等级,隐患类别,发现时间\n"
            f"{self.ea.name},堆物,特别重大,安全,2025-01-02\n"
            f"{self.ea.name},堆物二,一般,化学,2025-01-02\n"
        )
        report = self.preview(content)
        self.assertEqual(
            self.errors(report),
            [
                (2, "隐患等级", "“特别重大” is not allowed here. Use one of: General、Major."),
                (
                    3,
                    "隐患类别",
                    "“化学” is not allowed here. Use one of: Safety、Process、Electrical、"
                    "Instrumentation、Fire protection、General layout、Equipment、Other.",
                ),
            ],
        )

    def test_chinese_values_map_to_the_national_codes(self) -> None:
        content = csv(
            "企业名称,隐患描述,隐患等级,治理类型,隐患类型,人物管理分类,隐患来源,发现时间,"
            "事故类型\n"
            f"{self.ea.name},堆物,一般隐患,即查即改,电气,物的不安全状态,季节性排查,2025-01-02,"
            "火灾\n"
        )
        report = self.commit(content)
        self.assertTrue(report.committed, report.errors)
        h = Hazard.objects.get()
        self.assertEqual(
            (h.level, h.rectify_type, h.hazard_type, h.management_class, h.source),
            ("0", "0", "3", "2", "4"),
        )
        self.assertEqual(h.accident_type, "1986-08")  # 2025: the 1986 edition was in force
        self.assertEqual(h.status, Status.RECTIFYING)  # no completion date: still open


class MatchingTests(ImportTestCase):
    def test_rows_match_by_credit_code_or_exact_name_in_scope_and_never_guess(self) -> None:
        make_enterprise(self.grid_a, "同名五金厂")
        make_enterprise(self.grid_a2, "同名五金厂")
        content = csv(
            "企业名称,统一社会信用代码,隐患描述,发现时间\n"
            f"改过名的企业,{self.ea.uscc},堆物,2025-01-02\n"
            f"{self.ea2.name},,堆物,2025-01-02\n"
            "同名五金厂,,堆物,2025-01-02\n"
            "杨桥精密机械,,堆物,2025-01-02\n"
            f"{self.eb.name},,堆物,2025-01-02\n"
        )
        report = self.preview(content, by=self.li)
        self.assertEqual(
            self.errors(report),
            [
                (
                    4,
                    "企业名称",
                    "2 enterprises in your area are called “同名五金厂”: give the credit code.",
                ),
                (5, "企业名称", "No enterprise in your area is called “杨桥精密机械”."),
                (6, "企业名称", f"No enterprise in your area is called “{self.eb.name}”."),
            ],
        )
        self.assertEqual((report.unmatched, report.ambiguous), (2, 1))
        self.assertEqual(report.new, 2)

    def test_brackets_of_either_width_name_the_same_enterprise_and_never_two(self) -> None:
        make_enterprise(self.grid_a, "苏州（杨桥）机械有限公司")
        content = csv(
            "企业名称,隐患描述,发现时间\n"
            "苏州(杨桥)机械有限公司,堆物,2025-01-02\n"
            "苏州（杨桥)机械有限公司,漏电,2025-01-02\n"
            "苏州杨桥机械有限公司,缺盖,2025-01-02\n"
        )
        report = self.preview(content, by=self.li)
        self.assertEqual(
            self.errors(report),
            [(4, "企业名称", "No enterprise in your area is called “苏州杨桥机械有限公司”.")],
        )
        self.assertEqual(report.new, 2)
        # Both spellings registered: the name no longer says which one, so it is listed.
        make_enterprise(self.grid_a2, "苏州(杨桥)机械有限公司")
        report = self.preview(content, by=self.li)
        self.assertEqual(
            [(r, c) for r, c, _m in self.errors(report)][:2], [(2, "企业名称"), (3, "企业名称")]
        )
        self.assertIn("2 enterprises in your area", report.errors[0].message)
        self.assertEqual(report.ambiguous, 2)

    def test_a_credit_code_and_a_name_of_two_different_enterprises_are_listed(self) -> None:
        content = csv(
            "企业名称,统一社会信用代码,隐患描述,发现时间\n"
            f"{self.ea2.name},{self.ea.uscc},堆物,2025-01-02\n"
            f"{self.ea.name},{self.ea.uscc.lower()},漏电,2025-01-02\n"
            f"杨桥精密机械厂（旧名）,{self.ea.uscc},缺盖,2025-01-02\n"
        )
        report = self.preview(content, by=self.li)
        self.assertEqual(
            self.errors(report),
            [
                (
                    2,
                    "统一社会信用代码",
                    f"The credit code {self.ea.uscc} is that of “{self.ea.name}”, but "
                    f"“{self.ea2.name}” is another enterprise in your area: correct the one "
                    "that is wrong.",
                )
            ],
        )
        self.assertEqual((report.new, report.ambiguous), (2, 1))

    def test_a_credit_code_decides_when_its_enterprise_shares_its_name(self) -> None:
        first = make_enterprise(self.grid_a, "同名五金厂")
        second = make_enterprise(self.grid_a2, "同名五金厂")
        content = csv(
            "企业名称,统一社会信用代码,隐患描述,发现时间\n"
            f"同名五金厂,{first.uscc},堆物,2025-01-02\n"
            f"同名五金厂,{second.uscc},漏电,2025-01-02\n"
        )
        report = self.commit(content, by=self.li)
        self.assertTrue(report.committed, report.errors)
        self.assertEqual((report.unmatched, report.ambiguous), (0, 0))
        self.assertEqual(
            dict(Hazard.objects.values_list("name", "enterprise_id")),
            {"堆物": first.pk, "漏电": second.pk},
        )

    def test_a_name_shared_by_other_enterprises_but_not_the_codes_is_listed(self) -> None:
        make_enterprise(self.grid_a, "同名五金厂")
        make_enterprise(self.grid_a2, "同名五金厂")
        content = csv(
            f"企业名称,统一社会信用代码,隐患描述,发现时间\n同名五金厂,{self.ea.uscc},堆物,2025-01-02\n"
        )
        report = self.preview(content, by=self.li)
        self.assertEqual([(r, c) for r, c, _m in self.errors(report)], [(2, "统一社会信用代码")])
        self.assertIn(f"is that of “{self.ea.name}”", report.errors[0].message)
        self.assertEqual((report.new, report.ambiguous), (0, 1))

    def test_credit_code_outside_the_importers_area_is_not_matched(self) -> None:
        content = csv(f"统一社会信用代码,隐患描述,发现时间\n{self.eb.uscc},堆物,2025-01-02\n")
        report = self.preview(content, by=self.li)
        self.assertEqual(
            self.errors(report),
            [
                (
                    2,
                    "统一社会信用代码",
                    f"No enterprise in your area has the credit code {self.eb.uscc}.",
                )
            ],
        )

    def test_enterprises_are_looked_up_once_per_chunk_not_per_row(self) -> None:
        lines = "".join(
            f"{self.ea.name},第{i}项隐患描述各不相同{i * 7},2025-01-02\n" for i in range(300)
        )
        content = csv("企业名称,隐患描述,发现时间\n" + lines)
        with CaptureQueriesContext(connection) as queries:
            report = self.preview(content)
        self.assertTrue(report.ok)
        self.assertEqual(report.rows, 300)
        self.assertLess(len(queries), 10)


class StateTests(ImportTestCase):
    def rows(
        self,
        *lines: str,
        header: str = "企业名称,隐患描述,发现时间,整改期限,状态,验收时间,实际完成时间\n",
    ) -> Any:
        return self.commit(csv(header + "".join(f"{self.ea.name},{line}\n" for line in lines)))

    def test_states_and_their_dates(self) -> None:
        report = self.rows(
            "甲,2025-01-02,2025-02-01,整改中,,",
            "乙,2025-01-02,2025-02-01,待验收,,2025-01-20",
            "丙,2025-01-02,2025-02-01,已验收销号,2025-01-25 10:30,2025-01-20",
            "丁,2025-01-02,,,,",
        )
        self.assertTrue(report.committed, report.errors)
        states = dict(Hazard.objects.values_list("name", "status"))
        self.assertEqual(
            states,
            {"甲": "rectifying", "乙": "submitted", "丙": "closed", "丁": "registered"},
        )
        closed = Hazard.objects.get(name="丙")
        self.assertEqual(localtime(closed.accepted_at).isoformat()[:16], "2025-01-25T10:30")
        self.assertEqual(
            report.by_status, {"rectifying": 1, "submitted": 1, "closed": 1, "registered": 1}
        )

    def test_bad_dates_are_row_errors(self) -> None:
        tomorrow = days(1).isoformat()
        report = importing.preview(
            csv(
                "企业名称,隐患描述,发现时间,整改期限,状态,验收时间\n"
                f"{self.ea.name},甲,2025-13-02,,,\n"
                f"{self.ea.name},乙,2025-03-02,2025-03-01,,\n"
                f"{self.ea.name},丙,{tomorrow},,,\n"
                f"{self.ea.name},丁,2025-03-02,,已验收,\n"
                f"{self.ea.name},戊,,,,\n"
            ),
            "a.csv",
            by=self.chen,
        )
        self.assertEqual(
            [(r, c) for r, c, _m in self.errors(report)],
            [(2, "发现时间"), (3, "整改期限"), (4, "发现时间"), (5, "验收时间"), (6, "发现时间")],
        )
        self.assertIn("is not a date", report.errors[0].message)

    def test_immediate_fix_without_deadline_closes_when_rectified(self) -> None:
        report = self.commit(
            csv(HAND_HEADER + f"{self.ea.name},堆物,一般,2025-01-02,张,清,,是,2025-01-02\n")
        )
        self.assertTrue(report.committed, report.errors)
        h = Hazard.objects.get()
        self.assertEqual((h.status, h.rectify_type), (Status.CLOSED, RectifyType.IMMEDIATE))
        events = list(HazardEvent.objects.filter(hazard=h).values_list("action", flat=True))
        self.assertEqual(events, ["register"])


# For each check constraint of Hazard, rows of a ledger that would break it: each must be
# refused by the check, on the constraint's column, and never reach the database.
CONSTRAINT_HEADER = "企业名称,隐患描述,隐患等级,发现时间,整改期限,是否整改,验收时间,实际完成时间\n"
VIOLATING_ROWS = {
    "hazard_deadline_when_rectifying": [
        "重大隐患已整改无期限,重大,2025-01-02,,是,2025-03-01,2025-02-20",  # issue 9 item 5
        "重大隐患待验收无期限,重大,2025-01-02,,待验收,,2025-02-20",
    ],
    "hazard_closed_has_acceptance": ["一般隐患已整改无日期,一般,2025-01-02,2025-02-01,是,,"],
}


class ConstraintTests(ImportTestCase):
    """What the commit would refuse, the check finds (issue 9 item 5)."""

    def test_every_check_constraint_of_hazard_has_a_row_check_and_a_violating_row(self) -> None:
        names = {c.name for c in Hazard._meta.constraints if isinstance(c, CheckConstraint)}
        self.assertTrue(names)
        self.assertEqual(set(rows.CONSTRAINT_COLUMNS), names)
        self.assertEqual(set(VIOLATING_ROWS), names)

    def test_a_row_breaking_a_constraint_is_a_row_error_on_its_column(self) -> None:
        for name, lines in VIOLATING_ROWS.items():
            column = HEADERS[rows.CONSTRAINT_COLUMNS[name]]
            content = csv(CONSTRAINT_HEADER + "".join(f"{self.ea.name},{x}\n" for x in lines))
            with self.subTest(constraint=name):
                report = self.preview(content)
                self.assertEqual(
                    [(r, c) for r, c, _m in self.errors(report)],
                    [(i + 2, column) for i in range(len(lines))],
                )
                try:
                    with self.assertRaisesMessage(importing.ImportRejected, "Correct the rows"):
                        self.commit(content)
                except IntegrityError as exc:  # pragma: no cover - the bug this guards
                    self.fail(f"the check passed a row the database refused: {exc}")
                self.assertFalse(Hazard.objects.exists())

    def test_the_row_check_reads_each_constraint_as_the_database_does(self) -> None:
        """Every combination of the values the constraints read, decided by the database
        (Q.check) and by the import's row check: they agree."""
        now = localtime()
        checks = [c for c in Hazard._meta.constraints if isinstance(c, CheckConstraint)]
        for status, rectify, deadline, accepted in itertools.product(
            Status.values, RectifyType.values, (None, today()), (None, now)
        ):
            values = {
                "status": status,
                "rectify_type": rectify,
                "deadline": deadline,
                "accepted_at": accepted,
            }
            broken = {column for column, _m in rows.constraint_errors(values)}
            typed = {k: Value(v, output_field=Hazard._meta.get_field(k)) for k, v in values.items()}  # type: ignore[arg-type]
            expected = {
                rows.CONSTRAINT_COLUMNS[c.name]
                for c in checks
                if not c.condition.check(typed)  # type: ignore[union-attr]
            }
            with self.subTest(**values):
                self.assertEqual(broken, expected)


class DuplicateTests(ImportTestCase):
    def test_near_identical_rows_in_the_file_and_the_ledger_are_flagged(self) -> None:
        from anjian.hazards.workflow import register_hazard

        register_hazard(
            self.ea,
            {
                "name": "消防通道堵塞",
                "description": "二楼消防通道堆放纸箱，堵塞通道。",
                "level": "0",
                "deadline": days(30),
                "found_on": days(-3),
            },
            by=self.li,
        )
        d = days(-1).isoformat()
        far = days(-30).isoformat()
        content = csv(
            "企业名称,隐患描述,发现时间\n"
            f"{self.ea.name},二楼消防通道堆放纸箱 堵塞通道,{d}\n"  # like the ledger's
            f"{self.ea.name},配电箱前堆放杂物,{d}\n"
            f"{self.ea.name},配电箱前，堆放杂物！,{d}\n"  # like row 3
            f"{self.ea.name},配电箱前堆放杂物,{far}\n"  # same text, outside the window
            f"{self.ea2.name},配电箱前堆放杂物,{d}\n"  # another enterprise
        )
        report = self.preview(content)
        self.assertEqual(
            [(x.row, x.existing_id is not None, x.other_row) for x in report.duplicates],
            [(2, True, None), (4, False, 3)],
        )
        with self.assertRaisesMessage(importing.ImportRejected, "skip or keep"):
            self.commit(content)
        self.assertEqual(Hazard.objects.count(), 1)
        skipped = self.commit(content, on_duplicate="skip")
        self.assertEqual((skipped.created, skipped.skipped), (3, 2))
        Hazard.objects.filter(imported=True).delete()
        kept = self.commit(content, on_duplicate="keep")
        self.assertEqual((kept.created, kept.skipped), (5, 0))

    @override_settings(HAZARD_IMPORT_DUPLICATE_DAYS=40)
    def test_the_window_is_a_setting(self) -> None:
        content = csv(
            "企业名称,隐患描述,发现时间\n"
            f"{self.ea.name},配电箱前堆放杂物,2025-01-01\n"
            f"{self.ea.name},配电箱前堆放杂物,2025-02-01\n"
        )
        self.assertEqual(len(self.preview(content).duplicates), 1)


class AllOrNothingTests(ImportTestCase):
    def test_one_bad_row_in_a_later_chunk_writes_nothing(self) -> None:
        lines = "".join(
            f"{self.ea.name},隐患{i}号各不相同{i * 13},2025-01-02\n" for i in range(1500)
        )
        content = csv("企业名称,隐患描述,发现时间\n" + lines + f"{self.ea.name},坏行,2025-02-30\n")
        with self.assertRaisesMessage(importing.ImportRejected, "Correct the rows"):
            self.commit(content)
        self.assertFalse(Hazard.objects.exists())
        self.assertFalse(HazardEvent.objects.exists())
        self.assertFalse(ImportBatch.objects.exists())
        self.assertFalse(Entry.objects.filter(action="hazard.import").exists())

    def test_only_zone_admins_and_officers_may_import(self) -> None:
        content = csv(f"企业名称,隐患描述,发现时间\n{self.ea.name},堆物,2025-01-02\n")
        for user in (self.zhang, self.zhao, self.sun, self.zhou, self.wu, self.nobody):
            with self.subTest(user=user.username), self.assertRaises(NotAllowed):
                self.preview(content, by=user)
            with self.subTest(user=user.username), self.assertRaises(NotAllowed):
                self.commit(content, by=user)
        self.assertFalse(Hazard.objects.exists())


class BadFileTests(ImportTestCase):
    def rejected(self, content: bytes, name: str) -> str:
        report = self.preview(content, name)
        self.assertFalse(report.ok)
        with self.assertRaises(importing.ImportRejected):
            self.commit(content, name)
        self.assertFalse(Hazard.objects.exists())
        return report.file_error

    def test_each_bad_file_gets_its_reason_and_changes_nothing(self) -> None:
        self.assertEqual(self.rejected(b"", "a.csv"), "The file is empty.")
        self.assertIn("Only .xlsx and .csv", self.rejected(b"%PDF-1.4", "a.pdf"))
        self.assertIn("not a readable .xlsx", self.rejected(b"PK\x03\x04junk", "a.xlsx"))
        self.assertIn("cannot be read", self.rejected(b"\xff\xfe\xfd\x81\x30", "a.csv"))
        self.assertIn("No header row was found", self.rejected(csv("甲,乙,丙\n1,2,3\n"), "a.csv"))
        self.assertIn("隐患描述", self.rejected(csv("企业名称,发现时间\n甲,2025-01-01\n"), "a.csv"))
        with override_settings(IMPORT_MAX_BYTES=100):
            self.assertIn("the limit is", self.rejected(b"x" * 200, "a.csv"))

    def test_formula_cells_are_row_errors_but_text_like_a_formula_is_kept(self) -> None:
        wb = Workbook()
        sheet = wb.active
        assert sheet is not None
        sheet.append(["企业名称", "隐患描述", "发现时间", "整改措施"])
        sheet.append([self.ea.name, '=A1&"x"', "2025-01-02", ""])
        sheet.append([self.ea.name, "配电箱", "2025-01-02", "@清理"])
        sheet["B2"].data_type = "f"
        buffer = io.BytesIO()
        wb.save(buffer)
        report = self.preview(buffer.getvalue(), "a.xlsx")
        self.assertEqual(
            self.errors(report),
            [(2, "隐患描述", "This cell holds a formula. Paste the values instead.")],
        )
        text_only = csv(
            f"企业名称,隐患描述,发现时间,整改措施\n{self.ea.name},-配电箱,2025-01-02,+清理\n"
        )
        self.assertTrue(self.commit(text_only).committed)
        self.assertEqual(Hazard.objects.get().measures, "+清理")

    def test_a_workbook_with_a_ledger_on_each_sheet_is_refused_not_cut_short(self) -> None:
        header = ["企业名称", "隐患描述", "发现时间"]
        wb = Workbook()
        first = wb.active
        assert first is not None
        first.title = "1月"
        first.append(header)
        first.append([self.ea.name, "堆物", "2025-01-02"])
        notes = wb.create_sheet("填表说明")
        notes.append(["隐患等级填写一般或重大；发现时间写成2025-01-02。"])
        buffer = io.BytesIO()
        wb.save(buffer)
        # A sheet of notes is not a ledger: the first sheet is imported.
        self.assertTrue(self.preview(buffer.getvalue(), "a.xlsx").ok)
        for title, found_on in (("2月", "2025-02-03"), ("3&4月", "2025-03-04")):
            second = wb.create_sheet(title)
            second.append(["2025年隐患台账"])
            second.append(header)
            second.append([self.ea.name, "漏电", found_on])
        buffer = io.BytesIO()
        wb.save(buffer)
        message = self.rejected(buffer.getvalue(), "a.xlsx")
        self.assertIn("Only the first sheet", message)
        self.assertIn("“2月”、“3&4月”", message)


def rewrite_sheet(content: bytes, change: Any) -> bytes:
    """The workbook with its first sheet's XML passed through `change` (bytes -> bytes)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.namelist():
            data = source.read(item)
            target.writestr(item, change(data) if item == "xl/worksheets/sheet1.xml" else data)
    return out.getvalue()


class ClerksLedgerTests(ImportTestCase):
    """What years of real ledgers hold: compact dates, ticks, damaged and protected files."""

    def test_compact_dates_and_ticks_are_read(self) -> None:
        report = self.commit(
            csv(
                HAND_HEADER
                + f"{self.ea.name},堆物,一般,20250102,张,清,20250201,√,20250110\n"
                + f"{self.ea.name},漏电,一般,20250103,张,修,20250201,×,\n"
            )
        )
        self.assertTrue(report.committed, report.errors)
        rows = dict(Hazard.objects.values_list("name", "status"))
        self.assertEqual(rows, {"堆物": Status.CLOSED, "漏电": Status.RECTIFYING})
        closed = Hazard.objects.get(name="堆物")
        self.assertEqual(
            (closed.found_on, closed.deadline, closed.rectified_on),
            (datetime.date(2025, 1, 2), datetime.date(2025, 2, 1), datetime.date(2025, 1, 10)),
        )
        # Eight digits that are no day stay an error naming the column.
        report = self.preview(csv(HAND_HEADER + f"{self.ea.name},甲,一般,20251340,张,清,,否,\n"))
        self.assertEqual([(r, c) for r, c, _m in self.errors(report)], [(2, "检查时间")])

    def test_dates_typed_with_full_width_separators_and_chinese_times(self) -> None:
        report = self.commit(
            csv(
                "企业名称,隐患描述,发现时间,整改期限,状态,验收时间\n"
                f"{self.ea.name},堆物,2025／1／2,2025－02－01,已验收,2025年1月9日 8时30分\n"
                f"{self.ea.name},漏电,２０２５．１．３,2025-02-01,已验收,2025-01-10 14：05\n"
            )
        )
        self.assertTrue(report.committed, report.errors)
        got = {
            h.name: (h.found_on, h.deadline, localtime(h.accepted_at).isoformat()[:16])
            for h in Hazard.objects.all()
        }
        self.assertEqual(
            got,
            {
                "堆物": (datetime.date(2025, 1, 2), datetime.date(2025, 2, 1), "2025-01-09T08:30"),
                "漏电": (datetime.date(2025, 1, 3), datetime.date(2025, 2, 1), "2025-01-10T14:05"),
            },
        )

    def test_a_too_long_person_and_department_are_counted_together_in_the_message(self) -> None:
        header = "企业名称,隐患描述,发现时间,整改责任部门,整改责任人\n"
        report = self.preview(
            csv(
                header
                + f"{self.ea.name},堆物,2025-01-02,{'安' * 30},{'张' * 25}\n"
                + f"{self.ea.name},漏电,2025-01-02,,{'李' * 51}\n"
            )
        )
        self.assertEqual(
            self.errors(report),
            [
                (
                    2,
                    "整改责任人",
                    "The department and the person responsible are kept together, in at most "
                    "50 characters; together they have 56.",
                ),
                (3, "整改责任人", "At most 50 characters; this has 51."),
            ],
        )

    def test_a_large_workbook_without_a_dimension_goes_to_the_background(self) -> None:
        # anjian's own export is written by openpyxl's write-only mode, which writes no
        # <dimension ref="A1:AC2501">: the row count is then estimated from the sheet's size.
        wb = Workbook(write_only=True)
        sheet = wb.create_sheet("台账")
        sheet.append(["企业名称", "隐患描述", "发现时间"])
        for i in range(2500):
            sheet.append([self.ea.name, f"第{i}项隐患", "2025-01-02"])
        buffer = io.BytesIO()
        wb.save(buffer)
        with zipfile.ZipFile(buffer) as book:
            self.assertNotIn(b"<dimension", book.read("xl/worksheets/sheet1.xml"))
        estimate = importing.estimated_rows(buffer.getvalue(), "a.xlsx")
        self.assertAlmostEqual(estimate, 2501, delta=250)
        self.assertTrue(importing.in_background(estimate))
        small = xlsx([["企业名称", "隐患描述", "发现时间"], [self.ea.name, "堆物", "2025-01-02"]])
        self.assertEqual(importing.estimated_rows(small, "a.xlsx"), 2)

    def test_a_header_with_a_note_in_brackets_is_still_its_column(self) -> None:
        content = csv(
            "企业名称,隐患描述,隐患等级（一般/重大）,发现时间(年月日),整改资金（元）,备注（选填）\n"
            f'{self.ea.name},堆物,重大,2025-01-02,"1,200",无\n'
        )
        report = self.commit(content)
        self.assertTrue(report.committed, report.errors)
        self.assertEqual(report.unknown_headers, ["备注（选填）"])
        h = Hazard.objects.get()
        self.assertEqual(
            (h.level, h.found_on, h.funds),
            (Level.MAJOR, datetime.date(2025, 1, 2), Decimal("1200.00")),
        )

    def test_a_yes_no_cell_of_a_workbook_reads_as_rectified_or_not(self) -> None:
        header = ["企业名称", "存在问题", "检查时间", "是否整改", "整改完成时间", "整改期限"]
        content = xlsx(
            [
                header,
                [self.ea.name, "堆物", "2025-01-02", True, "2025-01-05", ""],
                [self.ea.name, "漏电", "2025-01-02", False, "", "2025-02-01"],
            ]
        )
        report = self.commit(content, "a.xlsx")
        self.assertTrue(report.committed, report.errors)
        rows = dict(Hazard.objects.values_list("name", "status"))
        self.assertEqual(rows, {"堆物": Status.CLOSED, "漏电": Status.RECTIFYING})

    def test_iso_date_cells_are_read_as_dates(self) -> None:
        content = xlsx([["企业名称", "隐患描述", "发现时间"], [self.ea.name, "堆物", "x"]])
        content = rewrite_sheet(
            content,
            lambda xml: re.sub(
                rb'<c r="C2"[^>]*>.*?</c>', b'<c r="C2" t="d"><v>2025-01-02T00:00:00</v></c>', xml
            ),
        )
        report = self.commit(content, "a.xlsx")
        self.assertTrue(report.committed, (report.file_error, report.errors))
        self.assertEqual(Hazard.objects.get().found_on, datetime.date(2025, 1, 2))

    def test_a_sheet_damaged_past_its_header_is_a_file_error_and_writes_nothing(self) -> None:
        rows = [["企业名称", "隐患描述", "发现时间"]]
        rows += [[self.ea.name, f"隐患{i}号各不相同{i * 13}", "2025-01-02"] for i in range(3000)]
        cut = rewrite_sheet(xlsx(rows), lambda xml: xml[: len(xml) * 3 // 4])
        report = self.preview(cut, "a.xlsx")
        self.assertIn("not a readable .xlsx", report.file_error)
        self.assertFalse(report.ok)
        with self.assertRaisesMessage(importing.ImportRejected, "not a readable .xlsx"):
            self.commit(cut, "a.xlsx", on_duplicate="keep")
        self.assertFalse(Hazard.objects.exists())
        self.assertFalse(HazardEvent.objects.exists())
        self.assertFalse(ImportBatch.objects.exists())
        # A shared string that is not there is damage too, not a crash.
        broken = rewrite_sheet(
            xlsx(rows[:2]),
            lambda xml: re.sub(rb'<c r="B2"[^>]*>.*?</c>', b'<c r="B2" t="s"><v>999</v></c>', xml),
        )
        self.assertIn("not a readable .xlsx", self.preview(broken, "a.xlsx").file_error)

    def test_a_password_protected_workbook_is_named_as_such(self) -> None:
        # What Excel writes for an encrypted .xlsx: an OLE2 container holding "EncryptedPackage".
        content = (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\0" * 504
            + "EncryptedInfo".encode("utf-16-le")
            + b"\0" * 50
            + "EncryptedPackage".encode("utf-16-le")
            + b"\0" * 200
        )
        report = self.preview(content, "台账.xlsx")
        self.assertIn("protected by a password", report.file_error)
        self.assertNotIn(".xls files", report.file_error)
        # An old .xls is still told to be saved as .xlsx.
        old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le") + b"\0" * 500
        self.assertIn("Old .xls files", self.preview(old, "台账.xls").file_error)

    def test_a_cell_merged_down_over_several_hazards_belongs_to_each(self) -> None:
        header = ["序号", "企业名称", "存在问题", "检查时间", "整改期限", "是否整改"]
        content = xlsx(
            [
                ["2025年3月隐患排查台账"],
                header,
                [1, self.ea.name, "堆物", "2025-03-04", "2025-04-01", "否"],
                [2, None, "漏电", None, "2025-04-02", "否"],
                [3, None, "缺盖", None, "2025-04-03", "否"],
                [4, self.ea2.name, "无证", "2025-03-05", "2025-04-01", "否"],
                [5, None, None, "2025-03-06", "2025-04-01", "否"],
            ],
            merges=["A1:F1", "B3:B5", "D3:D5", "B6:B7", "C6:D6"],
        )
        report = self.preview(content, "a.xlsx")
        # A range merged across columns (C6:D6) fills no other column: row 6 has no day. And a
        # range is never carried past its last row: row 7 has no description.
        self.assertEqual(
            self.errors(report),
            [(6, "检查时间", "The date is required."), (7, "存在问题", "Describe the hazard.")],
        )
        content = xlsx(
            [
                header,
                [1, self.ea.name, "堆物", "2025-03-04", "2025-04-01", "否"],
                [2, None, "漏电", None, "2025-04-02", "否"],
                [3, None, "缺盖", None, "2025-04-03", "否"],
                [4, self.ea2.name, "无证", "2025-03-05", "2025-04-01", "否"],
            ],
            merges=["B2:B4", "D2:D4"],
        )
        report = self.commit(content, "a.xlsx")
        self.assertTrue(report.committed, report.errors)
        rows = Hazard.objects.values_list("name", "enterprise__name", "found_on")
        self.assertEqual(
            sorted(rows),
            sorted(
                [
                    ("堆物", self.ea.name, datetime.date(2025, 3, 4)),
                    ("漏电", self.ea.name, datetime.date(2025, 3, 4)),
                    ("缺盖", self.ea.name, datetime.date(2025, 3, 4)),
                    ("无证", self.ea2.name, datetime.date(2025, 3, 5)),
                ]
            ),
        )


class PlannerStatisticsTests(ImportTestCase):
    """Issue 10 item 3: a large import leaves the planner's statistics of what it filled."""

    def rows_counted_by_the_planner(self) -> int | None:
        """How many hazards the database's statistics say there are (None: none kept)."""
        table = Hazard._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
                (n,) = cursor.fetchone()
                return None if n < 0 else int(n)
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return None
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
            stats = [int(stat.split()[0]) for (stat,) in cursor.fetchall()]
            return max(stats) if stats else None

    @override_settings(ANALYZE_AFTER_ROWS=3)
    def test_a_large_import_into_an_empty_ledger_leaves_its_statistics(self) -> None:
        HazardEvent.objects.all().delete()
        Hazard.objects.all().delete()
        content = csv(
            HAND_HEADER
            + "".join(
                f"{self.ea.name},隐患{i},一般,2025-03-0{i},张三,整改,2025-03-20,否,\n"
                for i in range(1, 5)
            )
        )
        self.assertNotEqual(self.rows_counted_by_the_planner(), 4)
        with self.captureOnCommitCallbacks(execute=True):
            report = self.commit(content)
        self.assertTrue(report.committed, report.errors)
        self.assertEqual(Hazard.objects.count(), 4)
        self.assertEqual(self.rows_counted_by_the_planner(), 4)
