"""Reading the spreadsheets people send: formats, encodings, the header row, file errors."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from django.test import SimpleTestCase
from django.utils import translation
from openpyxl import Workbook

from anjian.lib import tabular
from anjian.lib.xlsx import workbook_bytes

ALIASES = {
    "name": ["企业名称", "单位名称"],
    "code": ["统一社会信用代码", "信用代码"],
    "village": ["村(社区)"],
    "grid": ["所属网格"],
}
REQUIRED = ["name", "grid"]
MB = 1_000_000


def xlsx(rows: Sequence[Sequence[Any]], merge: str = "") -> bytes:
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_text(rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


class ReadTableTestCase(SimpleTestCase):
    def read(self, content: bytes, name: str = "a.xlsx", max_bytes: int = MB) -> tabular.Table:
        with translation.override("en"):
            return tabular.read_table(
                content, name, ALIASES, required=REQUIRED, max_bytes=max_bytes
            )

    def rejected(self, content: bytes, name: str = "a.xlsx", max_bytes: int = MB) -> str:
        with self.assertRaises(tabular.FileRejected) as caught:
            self.read(content, name, max_bytes)
        return str(caught.exception)

    def rows(self, table: tabular.Table) -> list[tuple[int, dict[str, str]]]:
        return list(table.rows)


class FormatTests(ReadTableTestCase):
    header = ["企业名称", "信用代码", "所属网格"]
    body = [["杨桥精密机械", "91320500MA1EXAMPL1", "GA"], ["石塘纺织", "", "GB"]]
    expected = [
        (2, {"name": "杨桥精密机械", "code": "91320500MA1EXAMPL1", "grid": "GA"}),
        (3, {"name": "石塘纺织", "code": "", "grid": "GB"}),
    ]

    def test_xlsx(self) -> None:
        table = self.read(xlsx([self.header, *self.body]))
        self.assertEqual((table.header_row, table.columns), (1, {0: "name", 1: "code", 2: "grid"}))
        self.assertEqual(self.rows(table), self.expected)

    def test_csv_in_utf8_utf8_with_bom_gbk_and_gb18030(self) -> None:
        text = csv_text([self.header, *self.body])
        for encoding in ("utf-8", "utf-8-sig", "gbk", "gb18030"):
            with self.subTest(encoding=encoding):
                table = self.read(text.encode(encoding), "a.csv")
                self.assertEqual(self.rows(table), self.expected)

    def test_file_name_case_does_not_matter(self) -> None:
        self.assertEqual(
            self.rows(self.read(xlsx([self.header, *self.body]), "A.XLSX")), self.expected
        )
        text = csv_text([self.header, *self.body]).encode()
        self.assertEqual(self.rows(self.read(text, "A.CSV")), self.expected)

    def test_typed_xlsx_cells_become_the_text_people_typed(self) -> None:
        rows: list[list[Any]] = [
            ["企业名称", "所属网格", "信用代码"],
            [85, 12.0, 12.5],
            [datetime.datetime(2027, 6, 30), datetime.datetime(2027, 6, 30, 8, 30), None],
        ]
        got = [r for _n, r in self.read(xlsx(rows)).rows]
        self.assertEqual(got[0], {"name": "85", "grid": "12", "code": "12.5"})
        self.assertEqual(got[1], {"name": "2027-06-30", "grid": "2027-06-30T08:30:00", "code": ""})

    def test_formulas_are_read_as_their_text_not_their_value(self) -> None:
        table = self.read(xlsx([["企业名称", "所属网格"], ["=1+1", "GA"]]))
        [(_n, row)] = self.rows(table)
        self.assertEqual(row["name"], "=1+1")
        self.assertTrue(tabular.is_formula(row["name"]))

    def test_blank_rows_are_skipped_and_short_rows_padded(self) -> None:
        text = "企业名称,所属网格,信用代码\n杨桥厂,GA\n,,\n\n石塘厂,GB,X\n"
        rows = self.rows(self.read(text.encode(), "a.csv"))
        self.assertEqual(
            rows,
            [
                (2, {"name": "杨桥厂", "grid": "GA", "code": ""}),
                (5, {"name": "石塘厂", "grid": "GB", "code": "X"}),
            ],
        )

    def test_cells_are_stripped(self) -> None:
        rows = self.rows(self.read("企业名称,所属网格\n  杨桥厂 , GA \n".encode(), "a.csv"))
        self.assertEqual(rows, [(2, {"name": "杨桥厂", "grid": "GA"})])


class HeaderTests(ReadTableTestCase):
    def test_aliases_spaces_asterisks_and_full_width_brackets_match(self) -> None:
        header = ["*单位名称", " 信用 代码：", "村（社区）", "所属网格"]
        table = self.read(xlsx([header, ["杨桥厂", "", "杨桥村", "GA"]]))
        self.assertEqual(set(table.columns.values()), {"name", "code", "village", "grid"})

    def test_canonical_names_are_headers_too(self) -> None:
        table = self.read(xlsx([["NAME", "grid"], ["杨桥厂", "GA"]]))
        self.assertEqual(table.columns, {0: "name", 1: "grid"})

    def test_title_rows_above_the_header_are_skipped(self) -> None:
        rows = [
            ["杨桥村企业名录（2026年）"],
            ["填表单位：杨桥村"],
            ["企业名称", "所属网格"],
            ["杨桥厂", "GA"],
        ]
        table = self.read(xlsx(rows, merge="A1:B1"))
        self.assertEqual(table.header_row, 3)
        self.assertEqual(self.rows(table), [(4, {"name": "杨桥厂", "grid": "GA"})])

    def test_row_naming_most_columns_is_the_header(self) -> None:
        # A title that happens to be a header word must not win over the real header.
        rows = [["企业名称"], ["企业名称", "所属网格", "信用代码"], ["杨桥厂", "GA", ""]]
        self.assertEqual(self.read(xlsx(rows)).header_row, 2)

    def test_header_after_the_scanned_rows_is_not_found(self) -> None:
        rows = [[f"说明{i}"] for i in range(tabular.HEADER_SCAN_ROWS)] + [["企业名称", "所属网格"]]
        self.assertIn("No header row was found in the first 10 rows", self.rejected(xlsx(rows)))

    def test_unknown_headers_are_listed(self) -> None:
        table = self.read(
            xlsx([["企业名称", "备注", "所属网格", None, "联系人"], ["杨桥厂", "", "GA"]])
        )
        self.assertEqual(table.unknown_headers, ["备注", "联系人"])

    def test_missing_required_header_names_it_as_people_write_it(self) -> None:
        message = self.rejected(xlsx([["企业名称", "信用代码"], ["杨桥厂", ""]]))
        self.assertIn("所属网格", message)
        self.assertNotIn("企业名称", message)
        self.assertNotIn("grid", message)

    def test_merged_header_cells_are_refused(self) -> None:
        rows: list[list[Any]] = [
            ["企业名称", "所属网格", "联系人", None],
            ["杨桥厂", "GA", "张三", "138"],
        ]
        message = self.rejected(xlsx(rows, merge="C1:D1"))
        self.assertIn("Row 1, the header row, has merged cells", message)

    def test_merged_cells_below_the_header_are_fine(self) -> None:
        rows: list[list[Any]] = [["企业名称", "所属网格"], ["杨桥厂", "GA"], ["石塘厂", None]]
        table = self.read(xlsx(rows, merge="B2:B3"))
        self.assertEqual(len(self.rows(table)), 2)

    def test_two_columns_meaning_the_same_are_refused(self) -> None:
        message = self.rejected(xlsx([["企业名称", "单位名称", "所属网格"], ["甲", "乙", "GA"]]))
        self.assertIn("Two columns mean the same thing: 企业名称", message)


class FileErrorTests(ReadTableTestCase):
    def test_empty_file(self) -> None:
        self.assertEqual(self.rejected(b"", "a.csv"), "The file is empty.")

    def test_over_size_file_says_both_sizes(self) -> None:
        message = self.rejected(b"x" * 2_500_000, "a.csv", max_bytes=2 * MB)
        self.assertIn("The file is 2.5 MB; the limit is 2.0 MB", message)

    def test_old_xls_is_refused_by_name_or_by_content(self) -> None:
        ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
        for name in ("a.xls", "renamed.xlsx", "renamed.csv"):
            with self.subTest(name=name):
                self.assertIn("Old .xls files are not supported", self.rejected(ole, name))

    def test_other_file_types_are_refused(self) -> None:
        for name in ("a.pdf", "a.docx", "a", "a.xlsx.exe"):
            with self.subTest(name=name):
                self.assertEqual(
                    self.rejected(b"%PDF-1.4", name), "Only .xlsx and .csv files can be imported."
                )

    def test_xlsx_that_is_not_a_workbook(self) -> None:
        for content in (b"PK\x03\x04 damaged", "企业名称,所属网格\n".encode()):
            with self.subTest(content=content[:8]):
                self.assertEqual(
                    self.rejected(content), "The file is not a readable .xlsx workbook."
                )

    def test_text_that_cannot_be_decoded(self) -> None:
        for content in (b"\xff\xfe\xfd\x81\x30", "企业名称,所属网格\n".encode("utf-16")):
            with self.subTest(content=content[:4]):
                self.assertIn(
                    "The text of the file cannot be read", self.rejected(content, "a.csv")
                )

    def test_workbook_without_rows(self) -> None:
        self.assertEqual(self.rejected(xlsx([])), "The file has no rows.")

    def test_csv_without_rows(self) -> None:
        self.assertEqual(self.rejected(b"\xef\xbb\xbf", "a.csv"), "The file has no rows.")


class HelperTests(SimpleTestCase):
    def test_normalize_header(self) -> None:
        self.assertEqual(tabular.normalize_header(" 村（社区）* "), "村(社区)")
        self.assertEqual(tabular.normalize_header("Credit Code:"), "creditcode")
        self.assertEqual(tabular.normalize_header(None), "")

    def test_cell_text(self) -> None:
        self.assertEqual(tabular.cell_text(None), "")
        self.assertEqual(tabular.cell_text(3.0), "3")
        self.assertEqual(tabular.cell_text(3.25), "3.25")
        self.assertEqual(tabular.cell_text(datetime.date(2026, 1, 2)), "2026-01-02")
        self.assertEqual(tabular.cell_text(datetime.datetime(2026, 1, 2)), "2026-01-02")
        self.assertEqual(
            tabular.cell_text(datetime.datetime(2026, 1, 2, 0, 45, 29, 514000)),
            "2026-01-02T00:45:29.514000",
        )
        self.assertEqual(
            tabular.cell_text(datetime.datetime(2026, 1, 2, 9, 30)), "2026-01-02T09:30:00"
        )
        self.assertEqual(tabular.cell_text(" 甲 "), "甲")

    def test_is_formula(self) -> None:
        self.assertTrue(tabular.is_formula("=SUM(A1:A3)"))
        self.assertFalse(tabular.is_formula("="))
        self.assertFalse(tabular.is_formula("+86 13800000000"))
        self.assertFalse(tabular.is_formula("杨桥=厂"))

    def test_alias_index_maps_every_name_to_its_column(self) -> None:
        index = tabular.build_alias_index(ALIASES)
        self.assertEqual(index["单位名称"], "name")
        self.assertEqual(index["name"], "name")
        self.assertEqual(index["村(社区)"], "village")


class XlsxReaderTests(ReadTableTestCase):
    """The streaming reader: what Excel and WPS write, beyond what openpyxl writes."""

    def test_a_formula_cell_is_a_formula_and_text_like_one_is_text(self) -> None:
        wb = Workbook()
        sheet = wb.active
        assert sheet is not None
        sheet.append(["企业名称", "所属网格"])
        sheet.append(["=SUM(1,2)", "GA"])
        sheet.append(["=不是公式", "GB"])
        sheet["A2"].data_type = "f"
        sheet["A3"].data_type = "s"
        buffer = io.BytesIO()
        wb.save(buffer)
        [(_n2, formula), (_n3, text)] = self.rows(self.read(buffer.getvalue()))
        self.assertIsInstance(formula["name"], tabular.Formula)
        self.assertEqual(formula["name"], "=SUM(1,2)")
        self.assertNotIsInstance(text["name"], tabular.Formula)
        self.assertEqual(text["name"], "=不是公式")

    def test_shared_strings_as_excel_writes_them(self) -> None:
        main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        parts = {
            "[Content_Types].xml": "<Types/>",
            "xl/workbook.xml": f'<workbook {main} xmlns:r="{rel}"><sheets>'
            '<sheet name="台账" sheetId="1" r:id="rId7"/></sheets></workbook>',
            "xl/_rels/workbook.xml.rels": '<Relationships><Relationship Id="rId7" '
            'Target="worksheets/data.xml"/></Relationships>',
            "xl/sharedStrings.xml": f"<sst {main}><si><t>企业名称</t></si><si><t>所属网格</t></si>"
            "<si><r><t>杨桥</t></r><r><t>厂</t></r><rPh><t>ヨウ</t></rPh></si></sst>",
            "xl/worksheets/data.xml": f'<worksheet {main}><dimension ref="A1:B2"/><sheetData>'
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
            '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="str"><v>GA</v></c></row>'
            "</sheetData></worksheet>",
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            for name, text in parts.items():
                zf.writestr(name, text)
        table = self.read(buffer.getvalue())
        self.assertEqual(self.rows(table), [(2, {"name": "杨桥厂", "grid": "GA"})])

    def test_dates_by_their_number_format(self) -> None:
        wb = Workbook()
        sheet = wb.active
        assert sheet is not None
        sheet.append(["企业名称", "所属网格", "信用代码"])
        sheet.append(["杨桥厂", datetime.date(2025, 3, 4), 45000])
        sheet["B2"].number_format = "yyyy/m/d"
        buffer = io.BytesIO()
        wb.save(buffer)
        content = buffer.getvalue()
        [(_n, row)] = self.rows(self.read(content))
        self.assertEqual(row, {"name": "杨桥厂", "grid": "2025-03-04", "code": "45000"})

    def test_a_two_row_header_under_merged_group_headings(self) -> None:
        rows: list[list[Any]] = [
            ["企业名录", None, None],
            ["企业名称", "位置", None],
            [None, "所属网格", "村(社区)"],
            ["杨桥厂", "GA", "杨桥村"],
        ]
        merges = ["A1:C1", "A2:A3", "B2:C2"]
        wb = Workbook()
        sheet = wb.active
        assert sheet is not None
        for row in rows:
            sheet.append(row)
        for merge in merges:
            sheet.merge_cells(merge)
        buffer = io.BytesIO()
        wb.save(buffer)
        table = self.read(buffer.getvalue())
        self.assertEqual(table.header_row, 3)
        self.assertEqual(
            table.headers, {"name": "企业名称", "grid": "所属网格", "village": "村(社区)"}
        )
        self.assertEqual(
            self.rows(table), [(4, {"name": "杨桥厂", "grid": "GA", "village": "杨桥村"})]
        )

    def test_estimated_rows_come_from_the_sheet_dimension(self) -> None:
        table = self.read(xlsx([["企业名称", "所属网格"], *[["厂", "GA"]] * 30]))
        self.assertEqual(table.estimated_rows, 31)

    def test_without_a_dimension_the_rows_are_estimated_from_the_sheets_size(self) -> None:
        # Our own exports (openpyxl write-only) write no <dimension>: a ledger exported here
        # and imported back must still be known to be large.
        content = workbook_bytes(
            [("台账", ["企业名称", "所属网格"], ([f"厂{i}", "GA"] for i in range(3000)), [20, 10])]
        )
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            sheet = next(n for n in z.namelist() if n.startswith("xl/worksheets/"))
            self.assertNotIn(b"<dimension", z.read(sheet)[:4096])
        self.assertAlmostEqual(self.read(content).estimated_rows, 3001, delta=150)


class StashTests(ReadTableTestCase):
    def test_the_rows_kept_read_back_the_same(self) -> None:
        table = self.read(
            xlsx([["标题"], ["企业名称", "所属网格"], ["杨桥厂", "GA"], ["石塘厂", "GB"]])
        )
        stash = tabular.Stash(table)
        expected = []
        for row_no, record in table.rows:
            stash.add(row_no, record)
            expected.append((row_no, record))
        content = stash.finish()
        self.assertTrue(tabular.is_stash(content))
        again = tabular.read_stash(content)
        self.assertEqual(
            (again.header_row, again.headers), (2, {"name": "企业名称", "grid": "所属网格"})
        )
        self.assertEqual(list(again.rows), expected)
