"""The registry as xlsx (export and import template): opened with openpyxl and read back."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.utils import translation
from openpyxl import load_workbook

from anjian.enterprises import importing
from anjian.enterprises.importing import COLUMNS
from anjian.enterprises.models import Enterprise, EnterpriseTag, Kind, SafetyManager, Status, Tag
from anjian.enterprises.tests.helpers import EnglishWorld, sheet_rows
from anjian.test import make_enterprise

HEADERS = [h for _f, h, _a in COLUMNS]
COLUMN = {f: i for i, (f, _h, _a) in enumerate(COLUMNS)}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# session, user with its region (scope), enterprises (grid, village, department
# and landlord joined), their tags, their safety managers.
EXPORT_QUERIES = 5


def zh(label: object) -> str:
    with translation.override("zh-hans"):
        return str(label)


class ExportPageTests(EnglishWorld):
    url = "/enterprises/export.xlsx"

    def export(self, user: object, query: str = "") -> list[tuple[object, ...]]:
        self.client.force_login(user)  # type: ignore[arg-type]
        r = self.client.get(self.url + query)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], XLSX)
        self.assertIn("attachment", r["Content-Disposition"])
        return sheet_rows(r.content)

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, f"/login/?next={self.url}", fetch_redirect_response=False)

    def test_user_without_role_is_refused(self) -> None:
        self.client.force_login(self.nobody)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_header_row_is_the_chinese_import_headers(self) -> None:
        rows = self.export(self.chen)
        self.assertEqual(list(rows[0]), HEADERS)
        self.assertEqual(rows[0][:2], ("企业名称", "统一社会信用代码"))

    def test_export_holds_the_scope_only(self) -> None:
        self.assertEqual([r[0] for r in self.export(self.wang)[1:]], [self.eb.name])
        self.assertEqual(self.export(self.sun)[1:], [])
        self.assertEqual(
            sorted(r[0] for r in self.export(self.li)[1:]), sorted([self.ea.name, self.ea2.name])
        )

    def test_export_holds_the_filtered_rows(self) -> None:
        make_enterprise(self.grid_a, "杨桥纺织厂", sector="textile")
        rows = self.export(self.li, "?sector=textile")
        self.assertEqual([r[0] for r in rows[1:]], ["杨桥纺织厂"])
        rows = self.export(self.chen, f"?grid={self.grid_a.pk}&q=精密")
        self.assertEqual([r[0] for r in rows[1:]], [self.ea.name])

    def test_every_column_is_written(self) -> None:
        park = make_enterprise(self.grid_a, "杨桥园区", kind=Kind.CLUSTER_OPERATOR)
        Enterprise.objects.filter(pk=self.ea.pk).update(
            landlord=park,
            employees=85,
            latitude=Decimal("31.123456"),
            risk_class="yellow",
            scale="above",
            standardization_grade="3",
            standardization_expires_on=datetime.date(2027, 6, 30),
            principal_phone="13800000000",
        )
        EnterpriseTag.objects.create(enterprise=self.ea, tag=Tag.DUST_EXPLOSION)
        SafetyManager.objects.create(enterprise=self.ea, name="王安全", phone="13800000001")
        SafetyManager.objects.create(enterprise=self.ea, name="李安全")
        row = next(r for r in self.export(self.li)[1:] if r[0] == self.ea.name)
        value = {f: row[i] for f, i in COLUMN.items()}
        self.assertEqual(value["uscc"], self.ea.uscc)
        self.assertEqual(value["grid"], self.grid_a.code)
        self.assertEqual(value["village"], self.v1.name)
        self.assertEqual(value["landlord"], park.uscc)
        self.assertEqual(value["employees"], 85)
        self.assertAlmostEqual(value["latitude"], 31.123456)  # type: ignore[misc]
        self.assertEqual(value["competent_department"], self.fire.name)
        self.assertEqual(value["safety_managers"], "王安全 13800000001；李安全")
        self.assertEqual(value["tags"], zh(Tag.DUST_EXPLOSION.label))
        self.assertEqual(value["standardization_expires_on"], datetime.datetime(2027, 6, 30))
        self.assertEqual(value["status"], zh(Status.OPERATING.label))
        self.assertEqual(value["principal_phone"], "13800000000")

    def test_text_that_looks_like_a_formula_stays_text(self) -> None:
        make_enterprise(self.grid_a, '=HYPERLINK("http://evil","x")', address="=1+1")
        self.client.force_login(self.li)
        wb = load_workbook(io.BytesIO(self.client.get(self.url).content))
        sheet = wb.worksheets[0]
        cells = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=")]
        self.assertEqual(
            sorted(str(c.value) for c in cells), ["=1+1", '=HYPERLINK("http://evil","x")']
        )
        for cell in cells:
            self.assertEqual(cell.data_type, "s")

    def test_query_count_is_the_same_for_3_and_30_enterprises(self) -> None:
        self.client.force_login(self.chen)
        with self.assertNumQueries(EXPORT_QUERIES):
            r = self.client.get(self.url)
        self.assertEqual(len(sheet_rows(r.content)), 4)
        for i in range(27):
            e = make_enterprise([self.grid_a, self.grid_a2, self.grid_b][i % 3], f"企业{i:02d}")
            EnterpriseTag.objects.create(enterprise=e, tag=Tag.GAS_USE)
            SafetyManager.objects.create(enterprise=e, name="安全员")
        with self.assertNumQueries(EXPORT_QUERIES):
            r = self.client.get(self.url)
        self.assertEqual(len(sheet_rows(r.content)), 31)

    def test_export_imports_back_as_the_same_enterprises(self) -> None:
        park = make_enterprise(self.grid_a, "杨桥园区", kind=Kind.CLUSTER_OPERATOR)
        Enterprise.objects.filter(pk=self.ea.pk).update(landlord=park, risk_class="red")
        EnterpriseTag.objects.create(enterprise=self.ea, tag=Tag.CONFINED_SPACE)
        self.client.force_login(self.li)
        content = self.client.get(self.url).content
        with translation.override("en"):
            report = importing.preview(content, "export.xlsx", by=self.li)
        self.assertEqual(report.errors, [])
        self.assertEqual((report.rows, report.new, len(report.duplicates)), (3, 0, 3))
        with translation.override("en"):
            report = importing.commit(content, "export.xlsx", by=self.li, on_duplicate="update")
        self.assertEqual(report.updated, 3)
        ea = Enterprise.objects.get(pk=self.ea.pk)
        self.assertEqual(
            (ea.landlord, ea.risk_class, ea.competent_department), (park, "red", self.fire)
        )
        self.assertEqual(list(ea.tags.values_list("tag", flat=True)), [Tag.CONFINED_SPACE])


class TemplateTests(EnglishWorld):
    url = "/enterprises/import/template.xlsx"

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, f"/login/?next={self.url}", fetch_redirect_response=False)

    def test_roles_without_import_are_refused(self) -> None:
        for user in (self.zhang, self.zhao, self.zhou, self.nobody):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)

    def template(self) -> bytes:
        self.client.force_login(self.li)
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], XLSX)
        return r.content

    def test_template_has_the_headers_an_example_and_the_allowed_values(self) -> None:
        content = self.template()
        rows = sheet_rows(content)
        self.assertEqual(list(rows[0]), HEADERS)
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1][COLUMN["name"]], "示例精密机械有限公司")
        help_rows = sheet_rows(content, sheet=1)
        self.assertEqual(help_rows[0], ("列", "允许的值"))
        self.assertIn(("必填列", "企业名称、所属网格、监管行业"), help_rows)
        self.assertIn("监管行业", [r[0] for r in help_rows])

    def test_template_filled_in_imports_cleanly(self) -> None:
        wb = load_workbook(io.BytesIO(self.template()))
        sheet = wb.worksheets[0]
        sheet.cell(row=2, column=COLUMN["grid"] + 1, value=self.grid_a.code)
        buffer = io.BytesIO()
        wb.save(buffer)
        with translation.override("en"):
            report = importing.commit(buffer.getvalue(), "模板.xlsx", by=self.li, on_duplicate=None)
        self.assertEqual((report.errors, report.file_error), ([], ""))
        self.assertEqual(report.created, 1)
        e = Enterprise.objects.get(name="示例精密机械有限公司")
        self.assertEqual(
            (e.grid, e.sector, e.scale, e.risk_class), (self.grid_a, "machinery", "above", "yellow")
        )
        self.assertEqual(
            sorted(e.tags.values_list("tag", flat=True)), ["confined_space", "dust_explosion"]
        )
        self.assertEqual(
            list(e.safety_managers.values_list("name", "phone")), [("李四", "13900000000")]
        )
        self.assertEqual((e.employees, e.status, e.kind), (85, Status.OPERATING, Kind.ORDINARY))
