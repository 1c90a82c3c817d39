"""`manage.py import_enterprises`: preview by default, --commit to write, as a named user."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.management import CommandError, call_command
from django.utils import translation

from anjian.audit.models import Entry
from anjian.enterprises.models import Enterprise
from anjian.enterprises.tests.helpers import HEADER, EnglishWorld, xlsx_bytes
from anjian.test import make_uscc


class ImportCommandTests(EnglishWorld):
    def setUp(self) -> None:
        super().setUp()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def write(self, rows: Sequence[Sequence[Any]], name: str = "名录.xlsx") -> str:
        path = self.folder / name
        path.write_bytes(xlsx_bytes(rows))
        return str(path)

    def run_command(self, *args: str) -> str:
        out = io.StringIO()
        with translation.override("en"):
            call_command("import_enterprises", *args, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    def good(self) -> str:
        return self.write(
            [HEADER, ["杨桥新厂", make_uscc(), "GA", "textile"], ["杨桥二厂", "", "GA2", "textile"]]
        )

    def test_preview_is_the_default_and_writes_nothing(self) -> None:
        out = self.run_command(self.good(), "--user", "li")
        self.assertIn("rows 2, new 2, already registered 0, errors 0", out)
        self.assertNotIn("imported", out)
        self.assertEqual(Enterprise.objects.count(), 3)

    def test_commit_imports_as_the_user(self) -> None:
        out = self.run_command(self.good(), "--user", "li", "--commit")
        self.assertIn("imported: 2 new, 0 updated, 0 skipped", out)
        self.assertEqual(Enterprise.objects.count(), 5)
        self.assertEqual(set(Entry.objects.values_list("actor__username", flat=True)), {"li"})

    def test_duplicates_need_on_duplicate(self) -> None:
        path = self.write([HEADER, ["杨桥精密机械（新名）", self.ea.uscc, "GA", "machinery"]])
        with self.assertRaisesMessage(CommandError, "update or skip"):
            self.run_command(path, "--user", "li", "--commit")
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).name, self.ea.name)
        out = self.run_command(path, "--user", "li", "--commit", "--on-duplicate", "update")
        self.assertIn("1 updated", out)
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).name, "杨桥精密机械（新名）")

    def test_bad_rows_are_printed_and_the_commit_refused(self) -> None:
        path = self.write(
            [HEADER, ["杨桥新厂", "", "GA", "textile"], ["越界厂", "", "GB", "textile"]]
        )
        out = io.StringIO()
        with translation.override("en"), self.assertRaisesMessage(CommandError, "Correct the rows"):
            call_command("import_enterprises", path, "--user", "li", "--commit", stdout=out)
        self.assertIn("row 3 [所属网格] There is no grid “GB” in your area.", out.getvalue())
        self.assertEqual(Enterprise.objects.count(), 3)
        self.assertFalse(Entry.objects.exists())

    def test_unknown_user_is_an_error(self) -> None:
        with self.assertRaisesMessage(CommandError, "no user 'ghost'"):
            self.run_command(self.good(), "--user", "ghost", "--commit")
        self.assertEqual(Enterprise.objects.count(), 3)

    def test_user_who_may_not_import_is_an_error(self) -> None:
        with self.assertRaisesMessage(CommandError, "zhang may not import"):
            self.run_command(self.good(), "--user", "zhang", "--commit")
        self.assertEqual(Enterprise.objects.count(), 3)

    def test_missing_file_is_an_error(self) -> None:
        with self.assertRaisesMessage(CommandError, "no file"):
            self.run_command(str(self.folder / "nope.xlsx"), "--user", "li")

    def test_unreadable_file_reports_why(self) -> None:
        path = self.folder / "名录.pdf"
        path.write_bytes(b"%PDF-1.4")
        err = io.StringIO()
        with translation.override("en"):
            call_command(
                "import_enterprises", str(path), "--user", "li", stdout=io.StringIO(), stderr=err
            )
        self.assertIn("Only .xlsx and .csv", err.getvalue())
