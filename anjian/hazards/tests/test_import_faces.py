"""The hazard import through its three faces: the pages, the API and the management command."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation
from openpyxl import Workbook

from anjian.audit.models import Entry
from anjian.hazards import importing
from anjian.hazards.models import Hazard, HazardEvent
from anjian.hazards.tests.factories import HazardWorld, days
from anjian.hazards.tests.test_importing import rewrite_sheet
from anjian.imports.models import ImportBatch, ImportKind
from anjian.jobs.models import Job, State


class Files(HazardWorld):
    def good(self) -> bytes:
        return (
            "企业名称,存在问题,隐患等级,检查时间,整改期限,是否整改,整改完成时间\n"
            f"{self.ea.name},消防通道堵塞,一般,2025-03-04,2025-03-20,是,2025-03-18\n"
            f"{self.ea2.name},配电箱无防护罩,一般,2025-03-05,2025-04-05,否,\n"
        ).encode()

    def bad(self) -> bytes:
        return (
            "企业名称,存在问题,隐患等级,检查时间\n"
            f"{self.ea.name},消防通道堵塞,一般,2025-03-04\n"
            f"{self.eb.name},配电箱无防护罩,很重大,2025-03-05\n"
        ).encode()

    def duplicated(self) -> bytes:
        d = days(-2).isoformat()
        return (
            "企业名称,存在问题,检查时间\n"
            f"{self.ea.name},配电箱前堆放杂物,{d}\n"
            f"{self.ea.name},配电箱前堆放杂物。,{d}\n"
        ).encode()

    def damaged(self) -> bytes:
        """A workbook whose sheet breaks off after its header and some rows, as a failed
        download or a full disk leaves it."""
        wb = Workbook()
        sheet = wb.active
        assert sheet is not None
        sheet.append(["企业名称", "存在问题", "检查时间"])
        for i in range(3000):
            sheet.append([self.ea.name, f"隐患{i}号各不相同{i * 13}", "2025-03-04"])
        buffer = io.BytesIO()
        wb.save(buffer)
        return rewrite_sheet(buffer.getvalue(), lambda xml: xml[: len(xml) * 3 // 4])

    def assert_nothing_written(self) -> None:
        self.assertFalse(Hazard.objects.exists())
        self.assertFalse(Entry.objects.filter(action="hazard.import").exists())


class PageTests(Files):
    url = "/hazards/import/"

    def send(self, user: Any, content: bytes, name: str = "台账.csv") -> ImportBatch:
        self.client.force_login(user)
        r = self.client.post(self.url, {"file": SimpleUploadedFile(name, content)})
        batch = ImportBatch.objects.latest("id")
        self.assertRedirects(r, f"/hazards/import/{batch.pk}/", fetch_redirect_response=False)
        return batch

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 302)
        self.assertIn("/login/", r["Location"])

    def test_roles_without_import_get_403(self) -> None:
        for user in (self.zhang, self.zhao, self.sun, self.zhou, self.wu):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)
                r = self.client.post(self.url, {"file": SimpleUploadedFile("a.csv", self.good())})
                self.assertEqual(r.status_code, 403)
        self.assertFalse(ImportBatch.objects.exists())

    def test_a_file_of_bad_rows_shows_the_first_500_and_says_how_many_more(self) -> None:
        rows = "".join(f"{self.ea.name},第{i}处问题,特别重大,2025-03-04\n" for i in range(600))
        batch = self.send(self.li, ("企业名称,存在问题,隐患等级,检查时间\n" + rows).encode())
        self.assertEqual(len(batch.report["errors"]), 600)
        page = self.client.get(f"/hazards/import/{batch.pk}/").content.decode()
        table = page.split('id="row-errors"')[1].split("</table>")[0]
        self.assertEqual(table.count("<tr>"), 501)  # the header row and 500
        self.assertIn('id="more-errors"', page)
        self.assertIn("600", page.split('id="more-errors"')[1][:200])
        self.assert_nothing_written()

    def test_ledger_offers_the_import_to_those_who_may(self) -> None:
        self.client.force_login(self.li)
        self.assertContains(self.client.get("/hazards/"), 'id="import-link"')
        self.client.force_login(self.zhang)
        self.assertNotContains(self.client.get("/hazards/"), 'id="import-link"')

    def test_preview_lists_bad_rows_and_writes_nothing(self) -> None:
        batch = self.send(self.li, self.bad())
        self.assertEqual(batch.kind, ImportKind.HAZARDS)
        self.assertEqual(bytes(batch.content), b"")  # a file with errors is not kept
        r = self.client.get(f"/hazards/import/{batch.pk}/")
        self.assertContains(r, "隐患等级")
        self.assertContains(r, f"No enterprise in your area is called “{self.eb.name}”.")
        self.assertContains(r, "“很重大” is not allowed here.")
        self.assertNotContains(r, 'id="commit-form"')
        self.assert_nothing_written()

    def test_officer_imports_in_scope_and_sees_the_history_on_the_hazard(self) -> None:
        batch = self.send(self.li, self.good(), "东城台账.csv")
        self.assertContains(self.client.get(f"/hazards/import/{batch.pk}/"), 'id="commit-form"')
        r = self.client.post(f"/hazards/import/{batch.pk}/commit/")
        self.assertRedirects(r, "/hazards/", fetch_redirect_response=False)
        self.assertEqual(Hazard.objects.filter(imported=True).count(), 2)
        batch.refresh_from_db()
        self.assertIsNotNone(batch.committed_at)
        self.assertEqual((batch.rows, bytes(batch.content)), (2, b""))
        closed = Hazard.objects.get(enterprise=self.ea)
        page = self.client.get(f"/hazards/{closed.pk}/")
        self.assertContains(page, "Imported from 东城台账.csv, row 2", count=3)
        # Committed once: a second post finds no pending batch.
        self.assertEqual(self.client.post(f"/hazards/import/{batch.pk}/commit/").status_code, 404)

    def test_a_batch_is_committed_once_even_when_asked_twice(self) -> None:
        batch = self.send(self.li, self.good())
        stale = ImportBatch.objects.get(pk=batch.pk)  # a second request, read before the first
        importing.commit_batch(batch, by=self.li, on_duplicate=None)
        # The page requests above leave their own language active: read the message in English.
        translation.activate("en")
        with self.assertRaisesMessage(importing.ImportRejected, "already been imported"):
            importing.commit_batch(stale, by=self.li, on_duplicate=None)
        with self.assertRaisesMessage(importing.ImportRejected, "already been imported"):
            importing.commit(
                bytes(stale.content), "a.csv", by=self.li, on_duplicate=None, batch=stale
            )
        self.assertEqual(Hazard.objects.count(), 2)

    def test_a_bad_file_or_no_file_is_a_message_not_an_error_page(self) -> None:
        batch = self.send(self.li, b"%PDF-1.4", "ledger.pdf")
        page = self.client.get(f"/hazards/import/{batch.pk}/")
        self.assertContains(page, 'id="file-error"')
        self.assertContains(page, "Only .xlsx and .csv files can be imported.")
        self.assertEqual(self.client.post(self.url, {}).status_code, 200)
        self.assert_nothing_written()

    @override_settings(HAZARD_IMPORT_BACKGROUND_ROWS=10_000)
    def test_a_workbook_damaged_past_its_header_is_a_message_not_an_error_page(self) -> None:
        batch = self.send(self.li, self.damaged(), "台账.xlsx")
        page = self.client.get(f"/hazards/import/{batch.pk}/")
        self.assertContains(page, 'id="file-error"')
        self.assertContains(page, "The file is not a readable .xlsx workbook.")
        self.assert_nothing_written()

    def test_duplicates_need_an_explicit_choice(self) -> None:
        batch = self.send(self.li, self.duplicated())
        page = self.client.get(f"/hazards/import/{batch.pk}/")
        self.assertContains(page, 'id="duplicates"')
        self.assertContains(page, 'name="on_duplicate"')
        r = self.client.post(f"/hazards/import/{batch.pk}/commit/")
        self.assertRedirects(r, f"/hazards/import/{batch.pk}/", fetch_redirect_response=False)
        self.assert_nothing_written()
        r = self.client.post(f"/hazards/import/{batch.pk}/commit/", {"on_duplicate": "skip"})
        self.assertRedirects(r, "/hazards/", fetch_redirect_response=False)
        self.assertEqual(Hazard.objects.count(), 1)

    def test_another_persons_upload_is_404(self) -> None:
        batch = self.send(self.li, self.good())
        self.client.force_login(self.chen)
        self.assertEqual(self.client.get(f"/hazards/import/{batch.pk}/").status_code, 404)
        self.assertEqual(self.client.post(f"/hazards/import/{batch.pk}/commit/").status_code, 404)
        self.assert_nothing_written()

    def test_a_registry_upload_is_not_a_hazard_import(self) -> None:
        batch = ImportBatch.objects.create(user=self.li, filename="名录.xlsx", content=b"x")
        self.client.force_login(self.li)
        self.assertEqual(self.client.get(f"/hazards/import/{batch.pk}/").status_code, 404)

    def test_officer_of_another_office_cannot_reach_these_enterprises(self) -> None:
        batch = self.send(self.qian, self.good())
        self.assertEqual(batch.report["unmatched"], 2)
        self.assertFalse(batch.report["ok"])


@override_settings(HAZARD_IMPORT_BACKGROUND_ROWS=1)
class BackgroundTests(Files):
    """Files over the threshold are checked and committed on the job queue (which runs jobs
    at once in tests), and the job page returns to the preview."""

    def test_large_file_is_checked_and_committed_as_jobs(self) -> None:
        self.client.force_login(self.li)
        r = self.client.post(
            "/hazards/import/", {"file": SimpleUploadedFile("大.csv", self.good())}
        )
        check = Job.objects.get(kind="hazards.import")
        self.assertRedirects(r, f"/jobs/{check.pk}/", fetch_redirect_response=False)
        batch = ImportBatch.objects.get()
        self.assertEqual(check.state, State.DONE, check.error)
        self.assertEqual(check.result, {"rows": 2, "errors": 0, "duplicates": 0, "ok": True})
        self.assertEqual(check.next_url, f"/hazards/import/{batch.pk}/")
        self.assert_nothing_written()

        r = self.client.post(f"/hazards/import/{batch.pk}/commit/")
        done = Job.objects.filter(kind="hazards.import").latest("id")
        self.assertRedirects(r, f"/jobs/{done.pk}/", fetch_redirect_response=False)
        self.assertEqual(done.state, State.DONE, done.error)
        self.assertEqual(done.result, {"committed": True, "created": 2, "skipped": 0})
        self.assertEqual(done.total, 2)
        self.assertEqual(Hazard.objects.filter(imported=True).count(), 2)
        self.assertContains(self.client.get(done.next_url), 'id="import-done"')

    def test_a_refused_commit_ends_the_job_with_the_reason_and_writes_nothing(self) -> None:
        self.client.force_login(self.li)
        self.client.post(
            "/hazards/import/", {"file": SimpleUploadedFile("大.csv", self.duplicated())}
        )
        batch = ImportBatch.objects.get()
        self.client.post(f"/hazards/import/{batch.pk}/commit/")
        job = Job.objects.filter(kind="hazards.import").latest("id")
        self.assertEqual(job.state, State.DONE)
        self.assertFalse(job.result["committed"])
        self.assertIn("skip or keep", job.result["refused"])
        self.assert_nothing_written()
        page = self.client.get(job.next_url)
        self.assertContains(page, 'id="refused"')
        self.assertContains(page, 'name="on_duplicate"')


class ApiTests(Files):
    url = "/api/v1/hazards/import"

    def send(self, user: Any, content: bytes, name: str = "台账.csv", **form: Any) -> Any:
        if user is not None:
            self.client.force_login(user)
        return self.client.post(self.url, {"file": SimpleUploadedFile(name, content), **form})

    def test_anonymous_gets_401(self) -> None:
        r = self.send(None, self.good(), commit="true")
        self.assertEqual(r.status_code, 401)
        self.assertTrue(r.json()["detail"])
        self.assert_nothing_written()

    def test_roles_without_import_get_403(self) -> None:
        for user in (self.zhang, self.zhao, self.sun, self.zhou, self.wu, self.nobody):
            with self.subTest(user=user.username):
                self.assertEqual(self.send(user, self.good(), commit="true").status_code, 403)
        self.assert_nothing_written()

    def test_the_role_and_the_choice_are_checked_before_the_file_is_read(self) -> None:
        self.assertEqual(self.send(self.zhang, b"\x00not a ledger", "a.xlsx").status_code, 403)
        r = self.send(self.li, b"\x00not a ledger", "a.xlsx", commit="true", on_duplicate="x")
        self.assertEqual((r.status_code, r.json()["errors"][0]["field"]), (422, "on_duplicate"))

    def test_check_returns_the_report_and_writes_nothing(self) -> None:
        r = self.send(self.li, self.bad())
        self.assertEqual(r.status_code, 200, r.content)
        report = r.json()
        self.assertEqual((report["ok"], report["rows"], report["new"]), (False, 2, 1))
        self.assertEqual(
            sorted((e["row"], e["column"]) for e in report["errors"]),
            [(3, "企业名称"), (3, "隐患等级")],
        )
        self.assert_nothing_written()

    def test_commit_of_a_bad_file_is_422_with_the_report(self) -> None:
        r = self.send(self.li, self.bad(), commit="true")
        self.assertEqual(r.status_code, 422)
        body = r.json()
        self.assertEqual(body["errors"][0]["field"], "file")
        self.assertEqual(len(body["report"]["errors"]), 2)
        self.assert_nothing_written()

    def test_duplicates_without_a_choice_are_422_naming_on_duplicate(self) -> None:
        r = self.send(self.li, self.duplicated(), commit="true")
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["field"], "on_duplicate")
        r = self.send(self.li, self.duplicated(), commit="true", on_duplicate="maybe")
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["field"], "on_duplicate")
        self.assert_nothing_written()
        r = self.send(self.li, self.duplicated(), commit="true", on_duplicate="keep")
        self.assertEqual((r.status_code, r.json()["created"]), (200, 2))

    def test_commit_imports_and_events_say_where_they_came_from(self) -> None:
        r = self.send(self.li, self.good(), "东城.csv", commit="true")
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual((r.json()["committed"], r.json()["created"]), (True, 2))
        hazard = Hazard.objects.get(enterprise=self.ea2)
        events = self.client.get(f"/api/v1/hazards/{hazard.pk}/events").json()
        self.assertEqual(
            [(e["imported"], e["import_filename"], e["import_row"]) for e in events],
            [(True, "东城.csv", 3)],
        )
        self.assertEqual(Entry.objects.filter(action="hazard.import", channel="import").count(), 2)

    @override_settings(HAZARD_IMPORT_BACKGROUND_ROWS=10_000)
    def test_a_damaged_workbook_is_422_naming_the_file_and_writes_nothing(self) -> None:
        for form in ({}, {"commit": "true", "on_duplicate": "keep"}):
            with self.subTest(form=form):
                r = self.send(self.li, self.damaged(), "台账.xlsx", **form)
                self.assertEqual(r.status_code, 422 if form else 200, r.content)
                body = r.json()
                report = body.get("report", body)
                self.assertEqual(report["file_error"], "The file is not a readable .xlsx workbook.")
                self.assertFalse(report["ok"])
        self.assert_nothing_written()
        self.assertFalse(HazardEvent.objects.exists())

    def test_bad_file_type_is_a_clear_message(self) -> None:
        r = self.send(self.li, b"%PDF-1.4", "a.pdf", commit="true")
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["detail"], "Only .xlsx and .csv files can be imported.")


class CommandTests(Files):
    def write(self, content: bytes) -> Path:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        path = Path(directory.name) / "台账.csv"
        path.write_bytes(content)
        return path

    def run_command(self, *args: Any) -> str:
        out = io.StringIO()
        call_command("import_hazards", *args, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    def test_preview_prints_the_report_and_writes_nothing(self) -> None:
        out = self.run_command(self.write(self.bad()), "--user", "li")
        self.assertIn("rows 2", out)
        self.assertIn("row 3 [隐患等级] “很重大” is not allowed here.", out)
        self.assert_nothing_written()

    def test_commit_writes_as_the_user(self) -> None:
        out = self.run_command(self.write(self.good()), "--user", "li", "--commit")
        self.assertIn("imported: 2 hazards, 0 skipped", out)
        self.assertEqual(set(HazardEvent.objects.values_list("actor__username", flat=True)), {"li"})

    def test_duplicates_need_on_duplicate(self) -> None:
        path = self.write(self.duplicated())
        with self.assertRaisesMessage(CommandError, "skip or keep"):
            self.run_command(path, "--user", "li", "--commit")
        self.assert_nothing_written()
        out = self.run_command(path, "--user", "li", "--commit", "--on-duplicate", "skip")
        self.assertIn("imported: 1 hazards, 1 skipped", out)

    def test_bad_rows_refuse_the_commit(self) -> None:
        with self.assertRaisesMessage(CommandError, "Correct the rows"):
            self.run_command(self.write(self.bad()), "--user", "li", "--commit")
        self.assert_nothing_written()

    def test_unknown_user_and_role_without_import_are_errors(self) -> None:
        path = self.write(self.good())
        with self.assertRaisesMessage(CommandError, "no user 'ghost'"):
            self.run_command(path, "--user", "ghost")
        with self.assertRaisesMessage(CommandError, "zhang may not import hazards"):
            self.run_command(path, "--user", "zhang", "--commit")
        self.assert_nothing_written()


@override_settings(HAZARD_IMPORT_BACKGROUND_ROWS=1)
class ApiBackgroundTests(Files):
    """Through the API too, a large file goes to the job queue: 202 with the job and the
    report's address, then the job's result and the full report."""

    url = "/api/v1/hazards/import"

    def send(self, content: bytes, **form: Any) -> Any:
        self.client.force_login(self.li)
        return self.client.post(self.url, {"file": SimpleUploadedFile("大.csv", content), **form})

    def test_a_large_check_is_a_job_and_its_report_lists_the_bad_rows(self) -> None:
        r = self.send(self.bad())
        self.assertEqual(r.status_code, 202, r.content)
        answer = r.json()
        job = self.client.get(answer["job_url"]).json()
        self.assertEqual((job["state"], job["result"]["errors"]), ("done", 2))
        report = self.client.get(answer["report_url"]).json()
        self.assertTrue(report["checked"])
        self.assertFalse(report["ok"])
        self.assertEqual(
            sorted((e["row"], e["column"]) for e in report["errors"]),
            [(3, "企业名称"), (3, "隐患等级")],
        )
        self.assert_nothing_written()

    def test_a_large_commit_is_a_job_that_imports(self) -> None:
        r = self.send(self.good(), commit="true")
        self.assertEqual(r.status_code, 202, r.content)
        job = self.client.get(r.json()["job_url"]).json()
        self.assertEqual(job["result"], {"committed": True, "created": 2, "skipped": 0})
        report = self.client.get(r.json()["report_url"]).json()
        self.assertEqual((report["committed"], report["created"]), (True, 2))
        self.assertEqual(Hazard.objects.filter(imported=True).count(), 2)

    def test_a_refused_large_commit_says_why_and_writes_nothing(self) -> None:
        r = self.send(self.duplicated(), commit="true")
        job = self.client.get(r.json()["job_url"]).json()
        self.assertFalse(job["result"]["committed"])
        report = self.client.get(r.json()["report_url"]).json()
        self.assertIn("skip or keep", report["refused"])
        self.assert_nothing_written()

    def test_bad_choice_and_wrong_role_are_refused_before_any_job(self) -> None:
        r = self.send(self.duplicated(), commit="true", on_duplicate="maybe")
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["field"], "on_duplicate")
        self.client.force_login(self.zhang)
        r = self.client.post(
            self.url, {"file": SimpleUploadedFile("大.csv", self.good()), "commit": "true"}
        )
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Job.objects.exists())
        self.assertFalse(ImportBatch.objects.exists())

    def test_the_report_is_its_importers_alone(self) -> None:
        url = self.send(self.good()).json()["report_url"]
        self.client.force_login(self.qian)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 401)
