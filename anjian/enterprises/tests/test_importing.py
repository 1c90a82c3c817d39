"""The registry importer (importing.py): formats, headers, row checks, duplicates, commit."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import override_settings
from django.utils import translation

from anjian.audit.models import Entry
from anjian.enterprises import importing
from anjian.enterprises.models import Enterprise, Kind, Status, StatusChange
from anjian.enterprises.tests.helpers import HEADER, EnglishWorld, csv_bytes, xlsx_bytes
from anjian.lib.errors import NotAllowed
from anjian.test import make_enterprise, make_grid, make_uscc


class ImporterTestCase(EnglishWorld):
    def preview(self, content: bytes, name: str = "名录.xlsx", by: Any = None) -> importing.Report:
        with translation.override("en"):
            return importing.preview(content, name, by=by or self.li)

    def commit(
        self, content: bytes, name: str = "名录.xlsx", on_duplicate: str | None = None
    ) -> importing.Report:
        with translation.override("en"):
            return importing.commit(content, name, by=self.li, on_duplicate=on_duplicate)

    def rejected(
        self, content: bytes, name: str = "名录.xlsx", **kw: Any
    ) -> importing.ImportRejected:
        with translation.override("en"), self.assertRaises(importing.ImportRejected) as caught:
            importing.commit(content, name, by=self.li, on_duplicate=kw.get("on_duplicate"))
        return caught.exception

    def errors(self, report: importing.Report) -> list[tuple[int, str]]:
        return [(e.row, e.column) for e in report.errors]

    def assert_nothing_written(self) -> None:
        self.assertEqual(Enterprise.objects.count(), 3)
        self.assertFalse(Entry.objects.exists())
        self.assertFalse(StatusChange.objects.exists())


class FormatTests(ImporterTestCase):
    def rows(self) -> list[list[Any]]:
        return [
            HEADER,
            ["杨桥一号纺织厂", make_uscc(), "GA", "textile"],
            ["杨桥二号五金厂", "", "GA2", "machinery"],
        ]

    def test_xlsx_is_previewed_then_committed(self) -> None:
        content = xlsx_bytes(self.rows())
        report = self.preview(content)
        self.assertTrue(report.ok, report)
        self.assertEqual((report.header_row, report.rows, report.new), (1, 2, 0 + 2))
        self.assert_nothing_written()
        report = self.commit(content)
        self.assertEqual((report.committed, report.created), (True, 2))
        e = Enterprise.objects.get(name="杨桥一号纺织厂")
        self.assertEqual(
            (e.grid, e.village, e.office, e.sector), (self.grid_a, self.v1, self.o1, "textile")
        )
        entries = Entry.objects.filter(action="enterprise.create")
        self.assertEqual(entries.count(), 2)
        entry = entries.get(object_id=str(e.pk))
        self.assertEqual((entry.channel, entry.actor), ("import", self.li))
        self.assertEqual(entry.changes["name"], [None, "杨桥一号纺织厂"])
        self.assertEqual(entry.changes["grid"], [None, self.grid_a.pk])

    def test_csv_in_utf8_utf8_with_bom_and_gbk(self) -> None:
        for encoding in ("utf-8", "utf-8-sig", "gbk"):
            with self.subTest(encoding=encoding):
                rows = [HEADER, [f"杨桥{encoding}纺织厂", make_uscc(), "GA", "textile"]]
                content = csv_bytes(rows, encoding)
                report = self.commit(content, "名录.csv")
                self.assertEqual((report.errors, report.created), ([], 1))
                self.assertTrue(Enterprise.objects.filter(name=f"杨桥{encoding}纺织厂").exists())

    def test_header_aliases_are_recognized(self) -> None:
        header = ["单位名称", "信用代码", "网格", "行业类别", "负责人电话", "企业地址", "职工人数"]
        code = make_uscc()
        report = self.commit(
            xlsx_bytes([header, ["杨桥别名厂", code, "GA", "textile", "13800000000", "纬三路", 12]])
        )
        self.assertEqual(report.created, 1)
        e = Enterprise.objects.get(uscc=code)
        self.assertEqual(
            (e.name, e.principal_phone, e.address, e.employees),
            ("杨桥别名厂", "13800000000", "纬三路", 12),
        )
        other = ["企业名称*", "社会信用代码", "所属网格 ", "监管行业（必填）"[:4]]
        report = self.preview(xlsx_bytes([other, ["杨桥又一厂", make_uscc(), "GA", "textile"]]))
        self.assertTrue(report.ok, report)
        self.assertEqual(report.new, 1)

    def test_title_row_above_the_header_is_skipped(self) -> None:
        rows = [["杨桥村2026年企业名录"], [], *self.rows()]
        report = self.preview(xlsx_bytes(rows, merge="A1:D1"))
        self.assertTrue(report.ok, report)
        self.assertEqual((report.header_row, report.rows), (3, 2))
        bad = [["杨桥村2026年企业名录"], HEADER, ["坏行", "", "没有的网格", "textile"]]
        self.assertEqual(self.errors(self.preview(xlsx_bytes(bad))), [(3, "所属网格")])

    def test_merged_header_cells_are_a_file_error(self) -> None:
        rows = [[*HEADER, "地址", "备注"], ["杨桥一号纺织厂", "", "GA", "textile", "纬三路", ""]]
        report = self.preview(xlsx_bytes(rows, merge="E1:F1"))
        self.assertIn("merged", report.file_error)
        self.assertIn("Row 1", report.file_error)
        self.assertEqual(report.rows, 0)

    def test_missing_required_header_is_named(self) -> None:
        report = self.preview(xlsx_bytes([["企业名称", "所属网格"], ["杨桥厂", "GA"]]))
        self.assertIn("监管行业", report.file_error)
        self.assertNotIn("企业名称", report.file_error)

    def test_no_header_at_all_names_every_required_column(self) -> None:
        report = self.preview(xlsx_bytes([["甲", "乙"], ["1", "2"]]))
        for header in ("企业名称", "所属网格", "监管行业"):
            self.assertIn(header, report.file_error)

    def test_files_that_cannot_be_read_are_refused_with_the_reason(self) -> None:
        cases = {
            "名录.pdf": (b"%PDF-1.4 ...", "Only .xlsx and .csv"),
            "名录.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls files are not supported"),
            "空.csv": (b"", "empty"),
            "坏.xlsx": (b"PK\x03\x04 this is not a workbook", "not a readable .xlsx"),
            "utf16.csv": ("企业名称,所属网格,监管行业\n".encode("utf-16"), "cannot be read"),
            "乱码.csv": (b"\xff\xfe\xfd\x81\x30\xff", "cannot be read"),
        }
        for name, (content, message) in cases.items():
            with self.subTest(name=name):
                report = self.preview(content, name)
                self.assertIn(message, report.file_error)
                self.assertFalse(report.ok)
                error = self.rejected(content, name)
                self.assertEqual(error.reason, report.file_error)
        self.assert_nothing_written()

    @override_settings(IMPORT_MAX_BYTES=1000)
    def test_over_size_file_is_refused(self) -> None:
        rows = [HEADER, *[[f"杨桥{i}厂", "", "GA", "textile"] for i in range(100)]]
        content = csv_bytes(rows)
        self.assertGreater(len(content), 1000)
        report = self.preview(content, "大.csv")
        self.assertIn("the limit is 0.0 MB", report.file_error)
        self.rejected(content, "大.csv")
        self.assert_nothing_written()

    def test_unknown_headers_are_reported_and_blank_rows_skipped(self) -> None:
        rows: list[list[Any]] = [
            [*HEADER, "备注"],
            ["杨桥一号厂", "", "GA", "textile", "老客户"],
            [None] * 5,
            ["杨桥二号厂", "", "GA", "textile", ""],
        ]
        report = self.preview(xlsx_bytes(rows))
        self.assertEqual(report.unknown_headers, ["备注"])
        self.assertEqual((report.rows, report.new), (2, 2))

    def test_typed_cells_are_read_as_people_mean_them(self) -> None:
        header = [*HEADER, "从业人数", "标准化有效期至", "纬度", "经度"]
        row = [
            "杨桥数字厂",
            make_uscc(),
            "ga",
            "textile",
            85.0,
            datetime.datetime(2027, 6, 30),
            31.5,
            120.25,
        ]
        self.commit(xlsx_bytes([header, row]))
        e = Enterprise.objects.get(name="杨桥数字厂")
        self.assertEqual((e.grid, e.employees), (self.grid_a, 85))
        self.assertEqual(e.standardization_expires_on, datetime.date(2027, 6, 30))
        self.assertEqual((float(e.latitude or 0), float(e.longitude or 0)), (31.5, 120.25))

    def test_choice_columns_accept_chinese_words_and_codes(self) -> None:
        header = [
            *HEADER,
            "企业规模",
            "风险等级",
            "标准化等级",
            "企业类型",
            "行业主管部门",
            "重点监管标签",
        ]
        row = [
            "杨桥选择厂",
            "",
            "GA",
            "machinery",
            "规上",
            "红色",
            "二级",
            "出租方",
            self.fire.name,
            "dust_explosion、gas_use",
        ]
        self.commit(xlsx_bytes([header, row]))
        e = Enterprise.objects.get(name="杨桥选择厂")
        self.assertEqual(
            (e.scale, e.risk_class, e.standardization_grade, e.kind, e.competent_department),
            ("above", "red", "2", Kind.LANDLORD, self.fire),
        )
        self.assertEqual(
            sorted(e.tags.values_list("tag", flat=True)), ["dust_explosion", "gas_use"]
        )

    def test_grid_worker_may_not_import(self) -> None:
        with self.assertRaises(NotAllowed):
            importing.preview(xlsx_bytes(self.rows()), "名录.xlsx", by=self.zhang)
        with self.assertRaises(NotAllowed):
            importing.commit(xlsx_bytes(self.rows()), "名录.xlsx", by=self.zhang, on_duplicate=None)
        self.assert_nothing_written()


class RowCheckTests(ImporterTestCase):
    def test_every_bad_row_is_listed_with_its_row_column_and_message(self) -> None:
        good = make_uscc()
        bad_check = good[:17] + ("0" if good[17] != "0" else "1")
        header = [
            *HEADER,
            "主要负责人电话",
            "从业人数",
            "风险等级",
            "重点监管标签",
            "行业主管部门",
            "地址",
        ]
        rows = [
            header,
            ["杨桥好厂", make_uscc(), "GA", "textile", "", "", "", "", "", ""],  # row 2: fine
            ["校验位错", bad_check, "GA", "textile", "", "", "", "", "", ""],
            ["长度错", "9132050012345", "GA", "textile", "", "", "", "", "", ""],
            ["网格错", "", "不存在的网格", "textile", "", "", "", "", "", ""],
            ["行业错", "", "GA", "造飞船", "", "", "", "", "", ""],
            ["电话错", "", "GA", "textile", "打我电话", "", "", "", "", ""],
            ["人数错", "", "GA", "textile", "", "很多", "", "", "", ""],
            ["风险错", "", "GA", "textile", "", "", "紫色", "", "", ""],
            ["标签错", "", "GA", "textile", "", "", "", "独角兽", "", ""],
            ["部门错", "", "GA", "textile", "", "", "", "", "不存在的局", ""],
            ["公式", "", "GA", "textile", "", "", "", "", "", "=A1&B1"],
            ["", "", "GA", "textile", "", "", "", "", "", "只有地址"],
        ]
        report = self.preview(xlsx_bytes(rows))
        self.assertFalse(report.ok)
        self.assertEqual(
            self.errors(report),
            [
                (3, "统一社会信用代码"),
                (4, "统一社会信用代码"),
                (5, "所属网格"),
                (6, "监管行业"),
                (7, "主要负责人电话"),
                (8, "从业人数"),
                (9, "风险等级"),
                (10, "重点监管标签"),
                (11, "行业主管部门"),
                (12, "地址"),
                (13, "企业名称"),
            ],
        )
        messages = {e.row: e.message for e in report.errors}
        self.assertIn(f"should be “{good[17]}”", messages[3])
        self.assertIn("not 13", messages[4])
        self.assertIn("不存在的网格", messages[5])
        self.assertIn("造飞船", messages[6])
        self.assertIn("紫色", messages[9])
        self.assertIn("独角兽", messages[10])
        self.assertIn("不存在的局", messages[11])
        self.assertIn("formula", messages[12])
        self.assertEqual(report.new, 1)

    def test_one_bad_row_refuses_the_whole_file(self) -> None:
        rows = [
            HEADER,
            *[[f"杨桥{i}厂", make_uscc(), "GA", "textile"] for i in range(5)],
            ["坏厂", "", "GB", "textile"],
        ]
        error = self.rejected(xlsx_bytes(rows))
        self.assertIn("Correct the rows", error.reason)
        self.assertEqual(self.errors(error.report), [(7, "所属网格")])
        self.assert_nothing_written()

    def test_grid_in_another_office_is_not_in_the_officers_area(self) -> None:
        report = self.preview(xlsx_bytes([HEADER, ["越界厂", "", "GB", "textile"]]))
        self.assertIn("There is no grid “GB” in your area", report.errors[0].message)

    def test_grid_by_name_needs_the_village_when_names_repeat(self) -> None:
        v3 = self.grid_a.village
        make_grid(v3, "重名网格", "R1")
        other_village = type(v3).objects.create(
            name="新村", code="002", level="village", parent=self.o1, path=f"{self.o1.path}002."
        )
        twin = make_grid(other_village, "重名网格", "R2")
        report = self.preview(xlsx_bytes([HEADER, ["重名厂", "", "重名网格", "textile"]]))
        self.assertIn("Several grids", report.errors[0].message)
        self.commit(
            xlsx_bytes([[*HEADER, "村/社区"], ["重名厂", "", "重名网格", "textile", "新村"]])
        )
        self.assertEqual(Enterprise.objects.get(name="重名厂").grid, twin)

    def test_zone_admin_imports_into_any_office(self) -> None:
        admin_report = self.preview(
            xlsx_bytes([HEADER, ["全区厂", "", "GB", "textile"]]), by=self.chen
        )
        self.assertTrue(admin_report.ok, admin_report)

    def test_same_credit_code_twice_in_a_file_is_a_row_error(self) -> None:
        code = make_uscc()
        rows = [HEADER, ["甲厂", code, "GA", "textile"], ["乙厂", code.lower(), "GA", "textile"]]
        report = self.preview(xlsx_bytes(rows))
        self.assertEqual(self.errors(report), [(3, "统一社会信用代码")])
        self.assertIn("already on row 2", report.errors[0].message)
        self.rejected(xlsx_bytes(rows))
        self.assert_nothing_written()

    def test_credit_code_registered_outside_the_area_is_a_row_error(self) -> None:
        report = self.preview(xlsx_bytes([HEADER, ["石塘纺织", self.eb.uscc, "GA", "textile"]]))
        self.assertEqual(self.errors(report), [(2, "统一社会信用代码")])
        self.assertIn("outside your area", report.errors[0].message)
        self.assertEqual(report.duplicates, [])


class DuplicateTests(ImporterTestCase):
    def file(self) -> bytes:
        return xlsx_bytes(
            [
                [*HEADER, "地址"],
                ["杨桥精密机械（更名）有限公司", self.ea.uscc, "GA", "machinery", "纬三路9号"],
                ["杨桥新厂", make_uscc(), "GA2", "textile", ""],
            ]
        )

    def test_duplicates_are_listed_with_the_registered_enterprise(self) -> None:
        report = self.preview(self.file())
        self.assertTrue(report.ok)
        self.assertEqual(report.new, 1)
        [dup] = report.duplicates
        self.assertEqual(
            (dup.row, dup.uscc, dup.name, dup.existing_id, dup.existing_name),
            (2, self.ea.uscc, "杨桥精密机械（更名）有限公司", self.ea.pk, self.ea.name),
        )

    def test_commit_without_a_choice_on_duplicates_is_refused(self) -> None:
        error = self.rejected(self.file())
        self.assertIn("update or skip", error.reason)
        self.assertTrue(error.report.ok)
        self.assert_nothing_written()

    def test_update_overwrites_the_registered_enterprise(self) -> None:
        report = self.commit(self.file(), on_duplicate="update")
        self.assertEqual((report.created, report.updated, report.skipped), (1, 1, 0))
        ea = Enterprise.objects.get(pk=self.ea.pk)
        self.assertEqual(
            (ea.name, ea.address, ea.version), ("杨桥精密机械（更名）有限公司", "纬三路9号", 2)
        )
        entry = Entry.objects.get(action="enterprise.update")
        self.assertEqual(entry.changes["address"], ["", "纬三路9号"])
        self.assertEqual(entry.channel, "import")
        self.assertEqual(Enterprise.objects.count(), 4)

    def test_skip_keeps_what_is_registered(self) -> None:
        report = self.commit(self.file(), on_duplicate="skip")
        self.assertEqual((report.created, report.updated, report.skipped), (1, 0, 1))
        ea = Enterprise.objects.get(pk=self.ea.pk)
        self.assertEqual((ea.name, ea.version), (self.ea.name, 1))
        self.assertFalse(Entry.objects.filter(action="enterprise.update").exists())
        self.assertTrue(Enterprise.objects.filter(name="杨桥新厂").exists())


class LandlordAndStatusTests(ImporterTestCase):
    header = [*HEADER, "企业类型", "出租方/园区"]

    def test_tenants_are_linked_to_a_landlord_in_the_same_file(self) -> None:
        park_code = make_uscc()
        rows = [
            self.header,
            ["杨桥甲租户", "", "GA", "textile", "", "杨桥工业园"],
            ["杨桥乙租户", "", "GA2", "textile", "", park_code.lower()],
            ["杨桥工业园", park_code, "GA", "other", "园区运营方", ""],
        ]
        report = self.commit(xlsx_bytes(rows))
        self.assertEqual(report.created, 3)
        park = Enterprise.objects.get(name="杨桥工业园")
        self.assertEqual(park.kind, Kind.CLUSTER_OPERATOR)
        self.assertEqual(
            set(park.tenants.values_list("name", flat=True)), {"杨桥甲租户", "杨桥乙租户"}
        )

    def test_tenants_are_linked_to_a_registered_landlord(self) -> None:
        park = make_enterprise(self.grid_a, "杨桥老园区", kind=Kind.LANDLORD)
        self.commit(
            xlsx_bytes([self.header, ["杨桥丙租户", "", "GA", "textile", "", "杨桥老园区"]])
        )
        self.assertEqual(Enterprise.objects.get(name="杨桥丙租户").landlord, park)

    def test_landlord_cannot_be_a_tenant(self) -> None:
        rows = [
            self.header,
            ["杨桥工业园", "", "GA", "other", "园区", ""],
            ["杨桥二园", "", "GA", "other", "出租方", "杨桥工业园"],
        ]
        report = self.preview(xlsx_bytes(rows))
        self.assertEqual(self.errors(report), [(3, "出租方/园区")])
        self.assertIn("cannot itself be a tenant", report.errors[0].message)

    def test_unknown_or_ambiguous_landlord_is_a_row_error(self) -> None:
        make_enterprise(self.grid_a, "同名园区", kind=Kind.LANDLORD)
        make_enterprise(self.grid_a2, "同名园区", kind=Kind.LANDLORD)
        rows = [
            self.header,
            ["租户一", "", "GA", "textile", "", "没有的园区"],
            ["租户二", "", "GA", "textile", "", "同名园区"],
            ["租户三", "", "GA", "textile", "", self.ea.name],  # an ordinary enterprise
        ]
        report = self.preview(xlsx_bytes(rows))
        self.assertEqual(
            self.errors(report), [(2, "出租方/园区"), (3, "出租方/园区"), (4, "出租方/园区")]
        )
        self.assertIn("is not a landlord", report.errors[0].message)
        self.assertIn("Several landlords", report.errors[1].message)

    def test_status_closed_creates_then_closes_with_a_status_change(self) -> None:
        rows = [
            [*HEADER, "经营状态"],
            ["杨桥已注销厂", "", "GA", "textile", "注销"],
            ["杨桥在营厂", "", "GA", "textile", "在营"],
        ]
        self.commit(xlsx_bytes(rows), "名录.xlsx")
        closed = Enterprise.objects.get(name="杨桥已注销厂")
        self.assertEqual(closed.status, Status.CLOSED)
        change = StatusChange.objects.get()
        self.assertEqual(
            (change.enterprise, change.from_status, change.to_status),
            (closed, "operating", "closed"),
        )
        self.assertIn("名录.xlsx", change.reason)
        self.assertIn("2", change.reason)
        self.assertEqual(Enterprise.objects.get(name="杨桥在营厂").status, Status.OPERATING)
        self.assertEqual(Entry.objects.get(action="enterprise.status").channel, "import")

    def test_unknown_status_is_a_row_error(self) -> None:
        report = self.preview(
            xlsx_bytes([[*HEADER, "经营状态"], ["厂", "", "GA", "textile", "倒闭"]])
        )
        self.assertEqual(self.errors(report), [(2, "经营状态")])

    def test_registered_enterprise_made_landlord_by_the_file_takes_its_tenants(self) -> None:
        rows = [
            self.header,
            [self.ea.name, self.ea.uscc, "GA", "machinery", "出租方", ""],
            ["杨桥丁租户", "", "GA", "textile", "", self.ea.name],
        ]
        self.commit(xlsx_bytes(rows), on_duplicate="update")
        self.assertEqual(Enterprise.objects.get(name="杨桥丁租户").landlord, self.ea)

    def test_skipping_the_landlord_row_a_tenant_needs_refuses_the_file(self) -> None:
        rows = [
            self.header,
            [self.ea.name, self.ea.uscc, "GA", "machinery", "出租方", ""],
            ["杨桥丁租户", "", "GA", "textile", "", self.ea.name],
        ]
        error = self.rejected(xlsx_bytes(rows), on_duplicate="skip")
        self.assertEqual(self.errors(error.report), [(3, "出租方/园区")])
        self.assertIn("its row was skipped", error.report.errors[0].message)
        self.assertEqual((error.report.created, error.report.committed), (0, False))
        self.assert_nothing_written()
