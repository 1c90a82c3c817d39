"""Importing through the pages (upload → preview → commit) and through the API."""

from __future__ import annotations

from typing import Any

from django.test import override_settings

from anjian.audit.models import Entry
from anjian.enterprises.models import Enterprise
from anjian.enterprises.tests.helpers import HEADER, EnglishWorld, upload, xlsx_bytes
from anjian.imports.models import ImportBatch
from anjian.test import make_uscc


class ImportFiles(EnglishWorld):
    def good(self) -> bytes:
        return xlsx_bytes(
            [
                HEADER,
                ["杨桥新厂", make_uscc(), "GA", "textile"],
                ["杨桥二厂", "", "GA2", "machinery"],
            ]
        )

    def bad(self) -> bytes:
        return xlsx_bytes(
            [
                HEADER,
                ["杨桥新厂", "", "GA", "textile"],
                ["越界厂", "", "GB", "textile"],
                ["", "", "GA", "造飞船"],
            ]
        )

    def with_duplicate(self) -> bytes:
        return xlsx_bytes(
            [
                HEADER,
                ["杨桥精密机械（新名）", self.ea.uscc, "GA", "machinery"],
                ["杨桥新厂", "", "GA", "textile"],
            ]
        )

    def assert_nothing_written(self) -> None:
        self.assertEqual(Enterprise.objects.count(), 3)
        self.assertFalse(Entry.objects.exists())


class ImportPageTests(ImportFiles):
    url = "/enterprises/import/"

    def send(self, user: Any, content: bytes, name: str = "名录.xlsx") -> ImportBatch:
        self.client.force_login(user)
        r = self.client.post(self.url, {"file": upload(content, name)})
        batch = ImportBatch.objects.latest("id")
        self.assertRedirects(r, f"/enterprises/import/{batch.pk}/", fetch_redirect_response=False)
        return batch

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, "/login/?next=/enterprises/import/", fetch_redirect_response=False)

    def test_roles_without_import_are_refused(self) -> None:
        for user in (self.zhang, self.zhao, self.zhou, self.sun, self.wu, self.nobody):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)
                r = self.client.post(self.url, {"file": upload(self.good(), "名录.xlsx")})
                self.assertEqual(r.status_code, 403)
        self.assertFalse(ImportBatch.objects.exists())
        self.assert_nothing_written()

    def test_upload_without_a_file_is_a_field_error(self) -> None:
        self.client.force_login(self.li)
        r = self.client.post(self.url, {"file": ""})  # what a browser sends with no file chosen
        self.assertEqual(r.status_code, 200)
        self.assertIn("file", r.context["form"].errors)
        self.assertFalse(ImportBatch.objects.exists())

    def test_upload_previews_then_commit_imports(self) -> None:
        batch = self.send(self.li, self.good())
        self.assert_nothing_written()
        r = self.client.get(f"/enterprises/import/{batch.pk}/")
        self.assertContains(r, 'id="commit-form"')
        self.assertEqual((r.context["report"]["rows"], r.context["report"]["new"]), (2, 2))
        r = self.client.post(f"/enterprises/import/{batch.pk}/commit/")
        self.assertRedirects(r, "/enterprises/", fetch_redirect_response=False)
        self.assertEqual(Enterprise.objects.count(), 5)
        self.assertEqual(
            Entry.objects.filter(action="enterprise.create", channel="import").count(), 2
        )
        batch.refresh_from_db()
        self.assertIsNotNone(batch.committed_at)
        self.assertEqual((bytes(batch.content), batch.report["created"]), (b"", 2))
        # A committed batch cannot be committed twice.
        r = self.client.post(f"/enterprises/import/{batch.pk}/commit/")
        self.assertEqual(r.status_code, 404)
        self.assertEqual(Enterprise.objects.count(), 5)

    def test_preview_lists_every_bad_row_and_offers_no_commit(self) -> None:
        batch = self.send(self.li, self.bad())
        self.assertEqual(bytes(batch.content), b"")
        r = self.client.get(f"/enterprises/import/{batch.pk}/")
        self.assertContains(r, 'id="row-errors"')
        self.assertNotContains(r, 'id="commit-form"')
        self.assertContains(r, "<td>3</td><td>所属网格</td>", html=False)
        self.assertContains(r, "There is no grid “GB” in your area.")
        self.assertContains(r, "<td>4</td><td>企业名称</td>", html=False)
        self.assertContains(r, "<td>4</td><td>监管行业</td>", html=False)
        self.assertNotContains(r, "<td>2</td>", html=False)
        self.assert_nothing_written()

    def test_committing_a_bad_file_anyway_writes_nothing(self) -> None:
        batch = self.send(self.li, self.bad())
        r = self.client.post(f"/enterprises/import/{batch.pk}/commit/")
        self.assertRedirects(r, f"/enterprises/import/{batch.pk}/", fetch_redirect_response=False)
        self.assert_nothing_written()
        batch.refresh_from_db()
        self.assertIsNone(batch.committed_at)

    def test_file_that_cannot_be_read_shows_the_reason(self) -> None:
        for name, content, message in [
            ("名录.pdf", b"%PDF-1.4", "Only .xlsx and .csv files can be imported."),
            ("名录.xls", b"\xd0\xcf\x11\xe0", "Old .xls files are not supported"),
            ("名录.csv", b"\xff\xfe\xfd", "The text of the file cannot be read"),
        ]:
            with self.subTest(name=name):
                batch = self.send(self.li, content, name)
                r = self.client.get(f"/enterprises/import/{batch.pk}/")
                self.assertContains(r, 'id="file-error"')
                self.assertContains(r, message)
                self.assertNotContains(r, 'id="commit-form"')
        self.assert_nothing_written()

    def test_empty_upload_is_refused_with_a_field_error(self) -> None:
        self.client.force_login(self.li)
        r = self.client.post(self.url, {"file": upload(b"", "名录.csv")})
        self.assertEqual(r.status_code, 200)
        self.assertIn("file", r.context["form"].errors)
        self.assert_nothing_written()

    @override_settings(IMPORT_MAX_BYTES=500)
    def test_over_size_upload_shows_the_limit(self) -> None:
        batch = self.send(self.li, self.good())
        r = self.client.get(f"/enterprises/import/{batch.pk}/")
        self.assertContains(r, "the limit is 0.0 MB")
        self.assert_nothing_written()

    def test_duplicates_need_a_choice_then_update(self) -> None:
        batch = self.send(self.li, self.with_duplicate())
        r = self.client.get(f"/enterprises/import/{batch.pk}/")
        self.assertContains(r, 'id="duplicates"')
        self.assertContains(r, f'href="/enterprises/{self.ea.pk}/"')
        self.assertContains(r, 'name="on_duplicate"')
        r = self.client.post(f"/enterprises/import/{batch.pk}/commit/", follow=True)
        self.assertContains(r, "choose whether to update or skip them")
        self.assert_nothing_written()
        r = self.client.post(f"/enterprises/import/{batch.pk}/commit/", {"on_duplicate": "update"})
        self.assertRedirects(r, "/enterprises/", fetch_redirect_response=False)
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).name, "杨桥精密机械（新名）")
        self.assertEqual(Enterprise.objects.count(), 4)

    def test_duplicates_skipped(self) -> None:
        batch = self.send(self.li, self.with_duplicate())
        self.client.post(f"/enterprises/import/{batch.pk}/commit/", {"on_duplicate": "skip"})
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).name, self.ea.name)
        self.assertEqual(Enterprise.objects.count(), 4)

    def test_another_users_batch_is_not_found(self) -> None:
        batch = self.send(self.li, self.good())
        self.client.force_login(self.chen)
        self.assertEqual(self.client.get(f"/enterprises/import/{batch.pk}/").status_code, 404)
        self.assertEqual(
            self.client.post(f"/enterprises/import/{batch.pk}/commit/").status_code, 404
        )
        self.assert_nothing_written()

    def test_preview_and_commit_follow_the_ladder(self) -> None:
        batch = self.send(self.li, self.good())
        self.client.logout()
        r = self.client.post(f"/enterprises/import/{batch.pk}/commit/")
        self.assertRedirects(
            r, f"/login/?next=/enterprises/import/{batch.pk}/commit/", fetch_redirect_response=False
        )
        self.client.force_login(self.zhang)
        self.assertEqual(self.client.get(f"/enterprises/import/{batch.pk}/").status_code, 403)
        self.assertEqual(
            self.client.post(f"/enterprises/import/{batch.pk}/commit/").status_code, 403
        )
        self.client.force_login(self.li)
        self.assertEqual(
            self.client.get(f"/enterprises/import/{batch.pk}/commit/").status_code, 405
        )
        self.assert_nothing_written()


class ImportApiTests(ImportFiles):
    url = "/api/v1/enterprises/import"

    def send(self, user: Any, content: bytes, name: str = "名录.xlsx", **form: Any) -> Any:
        if user is not None:
            self.client.force_login(user)
        return self.client.post(self.url, {"file": upload(content, name), **form})

    def test_anonymous_gets_401(self) -> None:
        r = self.send(None, self.good(), commit="true")
        self.assertEqual(r.status_code, 401)
        self.assertTrue(r.json()["detail"])
        self.assert_nothing_written()

    def test_roles_without_import_get_403(self) -> None:
        for user in (self.zhang, self.zhao, self.zhou, self.nobody):
            with self.subTest(user=user.username):
                self.assertEqual(self.send(user, self.good(), commit="true").status_code, 403)
        self.assert_nothing_written()

    def test_check_returns_the_report_and_writes_nothing(self) -> None:
        r = self.send(self.li, self.bad())
        self.assertEqual(r.status_code, 200, r.content)
        report = r.json()
        self.assertEqual(
            (report["ok"], report["committed"], report["rows"], report["new"]), (False, False, 3, 1)
        )
        self.assertEqual(
            sorted((e["row"], e["column"]) for e in report["errors"]),
            [(3, "所属网格"), (4, "企业名称"), (4, "监管行业")],
        )
        self.assert_nothing_written()

    def test_commit_imports_and_returns_the_report(self) -> None:
        r = self.send(self.li, self.good(), commit="true")
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual((r.json()["committed"], r.json()["created"]), (True, 2))
        self.assertEqual(
            Entry.objects.filter(action="enterprise.create", channel="import").count(), 2
        )

    def test_rejected_commit_is_422_with_the_report(self) -> None:
        r = self.send(self.li, self.bad(), commit="true")
        self.assertEqual(r.status_code, 422)
        body = r.json()
        self.assertEqual(body["errors"][0]["field"], "file")
        self.assertEqual(len(body["report"]["errors"]), 3)
        self.assertFalse(body["report"]["committed"])
        self.assert_nothing_written()

    def test_file_error_on_commit_is_422_naming_the_file(self) -> None:
        r = self.send(self.li, b"%PDF", "名录.pdf", commit="true")
        self.assertEqual(r.status_code, 422)
        self.assertIn("Only .xlsx and .csv", r.json()["report"]["file_error"])
        self.assertEqual(r.json()["errors"][0]["field"], "file")

    def test_duplicates_without_a_choice_are_422_on_on_duplicate(self) -> None:
        r = self.send(self.li, self.with_duplicate(), commit="true")
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["field"], "on_duplicate")
        self.assertEqual(r.json()["report"]["duplicates"][0]["existing_id"], self.ea.pk)
        self.assert_nothing_written()

    def test_duplicates_updated_or_skipped(self) -> None:
        r = self.send(self.li, self.with_duplicate(), commit="true", on_duplicate="skip")
        self.assertEqual((r.json()["created"], r.json()["skipped"]), (1, 1))
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).name, self.ea.name)
        r = self.send(self.li, self.with_duplicate(), commit="true", on_duplicate="update")
        # Rows without a credit code cannot be matched: 杨桥新厂 is registered a second time.
        self.assertEqual((r.json()["created"], r.json()["updated"]), (1, 1))
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).name, "杨桥精密机械（新名）")

    def test_unknown_on_duplicate_is_422(self) -> None:
        r = self.send(self.li, self.with_duplicate(), commit="true", on_duplicate="merge")
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["field"], "on_duplicate")
        self.assert_nothing_written()

    def test_missing_file_is_422_naming_it(self) -> None:
        self.client.force_login(self.li)
        r = self.client.post(self.url, {"commit": "true"})
        self.assertEqual(r.status_code, 422)
        self.assertEqual([e["field"] for e in r.json()["errors"]], ["file"])
