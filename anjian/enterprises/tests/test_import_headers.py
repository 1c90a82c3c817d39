"""Row errors name the column as the person's own file names it."""

from anjian.enterprises import importing
from anjian.enterprises.tests.helpers import csv_bytes
from anjian.test import World


class ImportHeaderNameTests(World):
    def test_an_error_in_an_aliased_column_names_the_alias(self) -> None:
        content = csv_bytes(
            [
                ["单位名称", "信用代码", "网格", "行业"],
                ["新企业有限公司", "91110000100017643X", self.grid_a.code, "机械"],
            ]
        )
        report = importing.preview(content, "ledger.csv", by=self.chen)
        self.assertEqual([(e.row, e.column) for e in report.errors], [(2, "信用代码")])

    def test_an_error_in_a_template_column_names_the_template_header(self) -> None:
        content = csv_bytes(
            [
                ["企业名称", "统一社会信用代码", "所属网格", "监管行业"],
                ["新企业有限公司", "91110000100017643K", "没有这个网格", "机械"],
            ]
        )
        report = importing.preview(content, "ledger.csv", by=self.chen)
        self.assertEqual([(e.row, e.column) for e in report.errors], [(2, "所属网格")])
