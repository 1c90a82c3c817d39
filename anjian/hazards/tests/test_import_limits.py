"""An import reads at most IMPORT_MAX_UNPACKED_BYTES unpacked and IMPORT_MAX_ROWS rows: a
small .xlsx whose sheet unpacks to a gigabyte (a "zip bomb") is refused at once, in bounded
memory, with a message that says why; so is a file of too many rows, however its size looks."""

from __future__ import annotations

import io
import re
import struct
import time
import tracemalloc
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from anjian.enterprises import importing as registry_import
from anjian.hazards.models import Hazard
from anjian.hazards.tests.test_importing import ImportTestCase, csv, xlsx

GIGABYTE = 1 << 30
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main"><sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>'
)


def bomb(unpacked: int = GIGABYTE) -> bytes:
    """A workbook of ~1 MB whose one sheet unpacks to `unpacked` bytes of rows, built in a
    second: one block of rows deflated once with a full flush (which makes each copy stand
    alone) and repeated, in a zip written by hand."""
    row = b'<row><c t="inlineStr"><is><t>' + b"x" * 990 + b"</t></is></c></row>"
    block = row * ((1 << 20) // len(row) + 1)
    head, tail = b"<worksheet><sheetData>", b"</sheetData></worksheet>"
    copies = unpacked // len(block) + 1
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    again = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    last = deflate.compress(tail) + deflate.flush(zlib.Z_FINISH)
    data = first + again * copies + last
    crc = zlib.crc32(head)
    for _copy in range(copies):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(block) * copies + len(tail)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("xl/workbook.xml", WORKBOOK)
    workbook_part = buffer.getvalue()
    directory_at = workbook_part.rindex(b"PK\x01\x02")
    local, central = workbook_part[:directory_at], workbook_part[directory_at:]
    central_end = central.rindex(b"PK\x05\x06")
    name = b"xl/worksheets/sheet1.xml"
    offset = len(local)
    local += (
        struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), size, len(name), 0)
        + name
        + data
    )
    entry = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), size, len(name),
        0, 0, 0, 0, 0, offset,
    ) + name  # fmt: skip
    entries = central[:central_end] + entry
    end_record = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 2, 2, len(entries), len(local), 0)
    return local + entries + end_record


def lying_dimension(content: bytes, rows: int) -> bytes:
    """The workbook with its sheet claiming `rows` rows whatever it holds."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="A1:D{rows}"'.encode(), data
                )
            package.writestr(info.filename, data)
    return out.getvalue()


class BombTests(ImportTestCase):
    bomb: bytes

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.bomb = bomb()

    def test_a_gigabyte_sheet_is_refused_at_once_in_bounded_memory(self) -> None:
        self.assertLess(len(self.bomb), 4 * 1024 * 1024, "a small upload")
        self.client.force_login(self.chen)
        upload = SimpleUploadedFile("台账.xlsx", self.bomb, "application/octet-stream")
        self.client.get("/api/v1/me")  # the URLs and views imported, not timed with the file
        tracemalloc.start()
        started = time.perf_counter()
        try:
            checked = self.client.post("/api/v1/hazards/import", {"file": upload})
            upload.seek(0)
            r = self.client.post("/api/v1/hazards/import", {"file": upload, "commit": "true"})
            _now, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        seconds = time.perf_counter() - started
        self.assertEqual(checked.status_code, 200, checked.content[:500])
        self.assertFalse(checked.json()["ok"])
        self.assertEqual(r.status_code, 422, r.content[:500])
        self.assertEqual(checked.json()["file_error"], r.json()["report"]["file_error"])
        self.assertIn(checked.json()["file_error"], r.json()["detail"])
        message = checked.json()["file_error"]
        self.assertIn("unpacks to 1", message)
        self.assertIn("the limit is 210 MB", message)
        self.assertLess(seconds, 5)
        self.assertLess(peak, 64 * 1024 * 1024, "nothing unpacked: memory stays near the upload")
        self.assertFalse(Hazard.objects.exists())

    def test_the_registry_refuses_it_too(self) -> None:
        report, rows = registry_import.parse(self.bomb, "企业.xlsx", by=self.chen)
        self.assertIn("unpacks to", report.file_error)
        self.assertEqual(rows, [])

    def test_the_limit_is_configurable(self) -> None:
        small = bomb(unpacked=1 << 20)  # 1 MB unpacked: under the default limit
        self.assertNotIn("unpacks to", self.preview(small, "台账.xlsx").file_error)
        with override_settings(IMPORT_MAX_UNPACKED_BYTES=512 * 1024):
            self.assertIn("unpacks to 1 MB", self.preview(small, "台账.xlsx").file_error)


@override_settings(IMPORT_MAX_ROWS=5)
class RowLimitTests(ImportTestCase):
    HEADER = ["企业名称", "隐患描述", "发现时间", "整改措施"]

    def rows(self, n: int) -> list[list[str]]:
        return [[self.ea.name, f"配电箱{i}", "2025-01-02", "清理"] for i in range(n)]

    def test_a_file_over_the_rows_limit_is_refused_with_the_limit(self) -> None:
        body = "\n".join(",".join(r) for r in [self.HEADER, *self.rows(40)])
        for content, name in (
            (csv(body), "台账.csv"),
            (xlsx([self.HEADER, *self.rows(8)]), "台账.xlsx"),
        ):
            with self.subTest(name=name):
                report = self.preview(content, name)
                self.assertIn("more than 5 rows", report.file_error)
        self.assertFalse(Hazard.objects.exists())

    def test_a_sheet_that_understates_its_rows_is_stopped_at_the_limit(self) -> None:
        content = lying_dimension(xlsx([self.HEADER, *self.rows(8)]), rows=2)
        report = self.preview(content, "台账.xlsx")
        self.assertIn("more than 5 rows", report.file_error)
        registry, rows = registry_import.parse(content, "企业.xlsx", by=self.chen)
        self.assertEqual(rows, [])
        self.assertTrue(registry.file_error)

    def test_a_file_within_the_limit_is_read(self) -> None:
        report = self.preview(xlsx([self.HEADER, *self.rows(5)]), "台账.xlsx")
        self.assertEqual(report.file_error, "")
        self.assertEqual(report.rows, 5)
