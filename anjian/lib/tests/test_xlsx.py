"""Writing xlsx: streamed rows, styled headers, and text that never turns into a formula."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.test import SimpleTestCase
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from anjian.lib.xlsx import workbook_bytes


def opened(content: bytes) -> Workbook:
    return load_workbook(io.BytesIO(content))


class WorkbookTests(SimpleTestCase):
    def test_sheets_headers_rows_and_widths(self) -> None:
        content = workbook_bytes(
            [
                (
                    "企业名录",
                    ["企业名称", "从业人数"],
                    [["杨桥厂", 85], ["石塘厂", None]],
                    [30, 12],
                ),
                ("填写说明", ["列", "允许的值"], [["监管行业", "机械、纺织"]], [16, 100]),
            ]
        )
        wb = opened(content)
        self.assertEqual(wb.sheetnames, ["企业名录", "填写说明"])
        first = wb["企业名录"]
        self.assertEqual(
            list(first.iter_rows(values_only=True)),
            [("企业名称", "从业人数"), ("杨桥厂", 85), ("石塘厂", None)],
        )
        self.assertTrue(first["A1"].font.bold)
        self.assertEqual(first["A1"].fill.fgColor.rgb, "00DDEBF7")
        self.assertFalse(first["A2"].font.bold)
        self.assertEqual(first.freeze_panes, "A2")
        self.assertEqual(
            (first.column_dimensions["A"].width, first.column_dimensions["B"].width), (30, 12)
        )
        self.assertEqual(wb["填写说明"]["B2"].value, "机械、纺织")

    def test_rows_are_consumed_as_a_stream(self) -> None:
        produced = []

        def rows() -> Iterator[list[Any]]:
            for i in range(1000):
                produced.append(i)
                yield [f"企业{i}", i]

        content = workbook_bytes([("s", ["名称", "序号"], rows(), [10, 10])])
        self.assertEqual(len(produced), 1000)
        sheet = opened(content).worksheets[0]
        self.assertEqual(sheet.max_row, 1001)
        self.assertEqual(sheet.cell(row=1001, column=1).value, "企业999")

    def test_values_keep_their_types(self) -> None:
        row = [85, 31.123456, datetime.date(2027, 6, 30), "0512-1234", True]
        sheet = opened(workbook_bytes([("s", ["a", "b", "c", "d", "e"], [row], [])])).worksheets[0]
        a, b, c, d, e = next(sheet.iter_rows(min_row=2))
        self.assertEqual((a.value, a.data_type), (85, "n"))
        self.assertAlmostEqual(b.value, 31.123456)  # type: ignore[arg-type]
        self.assertEqual(c.value, datetime.datetime(2027, 6, 30))
        self.assertEqual((d.value, d.data_type), ("0512-1234", "s"))
        self.assertIs(e.value, True)

    def test_text_starting_like_a_formula_is_stored_as_text(self) -> None:
        texts = ["=1+1", '=HYPERLINK("http://x","点我")', "+86 13800000000", "-5", "@SUM(A1)"]
        sheet = opened(workbook_bytes([("s", ["t"] * len(texts), [texts], [])])).worksheets[0]
        cells = next(sheet.iter_rows(min_row=2))
        self.assertEqual([c.value for c in cells], texts)
        self.assertEqual([c.data_type for c in cells], ["s"] * len(texts))

    def test_negative_numbers_stay_numbers(self) -> None:
        sheet = opened(workbook_bytes([("s", ["n"], [[-5]], [])])).worksheets[0]
        self.assertEqual((sheet["A2"].value, sheet["A2"].data_type), (-5, "n"))

    def test_long_sheet_titles_are_cut_to_excels_limit(self) -> None:
        title = "很长的工作表名称" * 5
        self.assertEqual(opened(workbook_bytes([(title, ["a"], [], [])])).sheetnames, [title[:31]])

    def test_times_decimals_and_awkward_texts(self) -> None:
        moment = datetime.datetime(2026, 3, 9, 0, 30, 15)
        row = [moment, Decimal("1200.50"), " 前后空格 ", "响铃\x07换行\n", "a&b<c>", "长" * 40000]
        sheet = opened(workbook_bytes([("s", ["a"] * len(row), [row], [])])).worksheets[0]
        a, b, c, d, e, f = next(sheet.iter_rows(min_row=2))
        self.assertEqual((a.value, a.number_format), (moment, "yyyy-mm-dd h:mm:ss"))
        self.assertEqual((b.value, b.data_type), (1200.5, "n"))
        self.assertEqual(c.value, " 前后空格 ")
        self.assertEqual(d.value, "响铃换行\n")  # control characters are not allowed in XML
        self.assertEqual(e.value, "a&b<c>")
        self.assertEqual(len(str(f.value)), 32767)  # Excel's limit for one cell

    def test_aware_datetimes_are_refused(self) -> None:
        aware = datetime.datetime(2026, 3, 9, tzinfo=datetime.UTC)
        with self.assertRaises(ValueError):
            workbook_bytes([("s", ["a"], [[aware]], [])])
