"""Spreadsheets built in the test (no binary fixtures) and a World that reads English."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from anjian.test import World

# The smallest header an import accepts: the required columns and the credit code.
HEADER = ["企业名称", "统一社会信用代码", "所属网格", "监管行业"]


def xlsx_bytes(rows: Sequence[Sequence[Any]], *, merge: str = "") -> bytes:
    """A one-sheet workbook holding `rows`; `merge` is a range such as "A1:B1"."""
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


def csv_bytes(rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def sheet_rows(content: bytes, sheet: int = 0) -> list[tuple[Any, ...]]:
    wb = load_workbook(io.BytesIO(content))
    return [tuple(r) for r in wb.worksheets[sheet].iter_rows(values_only=True)]


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


class EnglishWorld(World):
    """The personas, with the test client switched to English.

    Messages are asserted in English (the msgids), so the tests read the same whether or not
    the Chinese catalogs have been compiled.
    """

    def setUp(self) -> None:
        super().setUp()
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
