"""Large ledger exports run as background jobs: the threshold, the progress, the stored file
and who may download it, on the page and in the API."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone

from anjian.accounts.models import Role, User
from anjian.hazards.exporting import background
from anjian.hazards.tests.factories import major
from anjian.hazards.tests.test_exporting import (
    API,
    LEDGER_URL,
    XLSX,
    ExportWorld,
    body,
    rows_of,
)
from anjian.hazards.workflow import register_hazard
from anjian.jobs import services
from anjian.jobs.models import Job, State
from anjian.jobs.tests import handlers  # noqa: F401 (registers the test job kinds)
from anjian.regions.models import RegionLevel
from anjian.test import make_region, make_user

HUGE = "99999999999999999999"  # beyond any database's integer


@override_settings(HAZARD_EXPORT_BACKGROUND_ROWS=1)
class LedgerExportJobTests(ExportWorld):
    def setUp(self) -> None:
        super().setUp()
        # 3 in Chen's zone, 2 in Li's office, 1 in Zhang's grid.
        self.hazards = self.one_in_each_grid()

    def start(self, user: User, query: str = "") -> Job:
        """Ask for the ledger on the page; over the threshold that is a job's page."""
        self.client.force_login(user)
        r = self.client.get(LEDGER_URL + query)
        job = Job.objects.latest("pk")
        self.assertRedirects(r, f"/jobs/{job.pk}/", fetch_redirect_response=False)
        return job

    def direct(self, user: User, query: str = "") -> list[tuple[Any, ...]]:
        """The same ledger downloaded at once (the threshold raised past it)."""
        self.client.force_login(user)
        with self.settings(HAZARD_EXPORT_BACKGROUND_ROWS=1000):
            r = self.client.get(LEDGER_URL + query)
        self.assertEqual((r.status_code, r["Content-Type"]), (200, XLSX))
        return rows_of(body(r))

    def test_up_to_the_threshold_the_ledger_is_downloaded_at_once(self) -> None:
        self.client.force_login(self.zhang)  # 1 row: not over 1
        r = self.client.get(LEDGER_URL)
        self.assertEqual((r.status_code, r["Content-Type"]), (200, XLSX))
        self.assertEqual(len(rows_of(body(r))), 2)
        self.assertFalse(Job.objects.exists())

    def test_over_the_threshold_a_job_writes_the_same_workbook(self) -> None:
        job = self.start(self.chen)
        self.assertEqual((job.kind, job.state, job.user), ("hazards.export", State.DONE, self.chen))
        self.assertEqual((job.done, job.total), (3, 3))
        self.assertEqual(job.result["rows"], 3)
        page = self.client.get(f"/jobs/{job.pk}/").content.decode()
        self.assertIn(f'href="/jobs/{job.pk}/file/"', page)
        self.assertIn("100%", page)
        r = self.client.get(f"/jobs/{job.pk}/file/")
        self.assertEqual((r.status_code, r["Content-Type"]), (200, XLSX))
        self.assertIn("attachment", r["Content-Disposition"])
        self.assertIn(".xlsx", r["Content-Disposition"])
        kept = rows_of(body(r))
        self.assertEqual(len(kept), 4)
        self.assertEqual(kept, self.direct(self.chen))

    def test_the_job_keeps_the_filters(self) -> None:
        register_hazard(self.ea, major(name="重大隐患甲"), by=self.li)
        register_hazard(self.ea2, major(name="重大隐患乙"), by=self.li)
        register_hazard(self.eb, major(name="重大隐患丙"), by=self.qian)
        job = self.start(self.chen, "?level=1")
        self.assertEqual(job.params["filters"], {"level": "1"})
        rows = rows_of(body(self.client.get(f"/jobs/{job.pk}/file/")))
        self.assertEqual(rows, self.direct(self.chen, "?level=1"))
        self.assertEqual(len(rows), 4)

    def test_the_job_reports_the_rows_written_as_it_goes(self) -> None:
        job = Job.objects.create(
            kind=background.KIND, handler=background.__name__, user=self.chen, params={}
        )
        reports: list[tuple[int, int]] = []

        def progress(done: int, total: int, message: str = "") -> None:
            reports.append((done, total))

        with mock.patch.object(background, "CHUNK", 1):
            result = background.run_ledger_export(job, progress)
        self.assertEqual(reports, [(0, 3), (1, 3), (2, 3), (3, 3), (3, 3)])
        self.assertEqual(result["rows"], 3)

    def test_a_running_job_shows_rows_written_of_the_total(self) -> None:
        job = self.start(self.chen)
        Job.objects.filter(pk=job.pk).update(state=State.QUEUED, file="")
        job.refresh_from_db()
        with mock.patch.object(services, "progress_of", return_value=(1200, 4800, "")):
            page = self.client.get(f"/jobs/{job.pk}/progress/").content.decode()
        self.assertIn("1200 of 4800", page)
        self.assertIn("25%", page)
        self.assertIn('hx-trigger="every 1s"', page)  # it refreshes itself
        self.assertNotIn("/file/", page)
        self.assertEqual(self.client.get(f"/jobs/{job.pk}/file/").status_code, 404)

    def test_who_may_download_the_file(self) -> None:
        job = self.start(self.li)
        url = f"/jobs/{job.pk}/file/"
        other_zone = make_region("另一园区", RegionLevel.ZONE, code="98")
        other_admin = make_user("other-admin", Role.ZONE_ADMIN, region=other_zone)
        self.client.logout()
        self.assertRedirects(
            self.client.get(url), f"/login/?next={url}", fetch_redirect_response=False
        )
        # Zhang sees a part of Li's rows, Wang and the other zone none: the file is not theirs.
        for outsider in (self.zhang, self.wang, self.qian, other_admin):
            with self.subTest(user=outsider.username):
                self.client.force_login(outsider)
                self.assertEqual(self.client.get(url).status_code, 404)
        # The zone admin oversees the zone's jobs and sees every row of the zone.
        for reader in (self.li, self.chen):
            with self.subTest(user=reader.username):
                self.client.force_login(reader)
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_an_expired_file_is_gone_and_swept(self) -> None:
        job = self.start(self.li)
        name = str(Job.objects.get(pk=job.pk).file.name)
        self.assertTrue(default_storage.exists(name))
        Job.objects.filter(pk=job.pk).update(
            finished_at=timezone.now() - datetime.timedelta(hours=25)
        )
        self.assertEqual(self.client.get(f"/jobs/{job.pk}/file/").status_code, 404)
        self.assertEqual(self.client.get(f"/api/v1/jobs/{job.pk}/file").status_code, 404)
        page = self.client.get(f"/jobs/{job.pk}/").content.decode()
        self.assertIn('id="job-file-gone"', page)
        self.assertEqual(self.client.get(f"/api/v1/jobs/{job.pk}").json()["file_url"], "")
        self.assertEqual(services.sweep_files(), 1)
        self.assertFalse(default_storage.exists(name))
        self.assertEqual(Job.objects.get(pk=job.pk).file.name, "")
        self.assertEqual(services.sweep_files(), 0)

    def test_a_fresh_file_is_not_swept(self) -> None:
        job = self.start(self.li)
        self.assertEqual(services.sweep_files(), 0)
        self.assertEqual(self.client.get(f"/jobs/{job.pk}/file/").status_code, 200)

    def test_bad_job_ids_are_not_found(self) -> None:
        self.start(self.li)
        for url in (
            "/jobs/abc/file/",
            f"/jobs/{HUGE}/file/",
            f"/jobs/{HUGE}/",
            "/jobs/-1/file/",
            "/api/v1/jobs/abc/file",
            f"/api/v1/jobs/{HUGE}/file",
            "/api/v1/jobs/abc",
            f"/api/v1/jobs/{HUGE}",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_job_of_another_kind_has_no_file(self) -> None:
        job = services.submit("test.count", user=self.li, params={"n": 2})
        self.client.force_login(self.li)
        self.assertEqual(self.client.get(f"/jobs/{job.pk}/file/").status_code, 404)
        self.assertEqual(self.client.get(f"/api/v1/jobs/{job.pk}").json()["file_url"], "")


@override_settings(HAZARD_EXPORT_BACKGROUND_ROWS=2)
class LedgerExportJobApiTests(ExportWorld):
    def setUp(self) -> None:
        super().setUp()
        self.one_in_each_grid()

    def test_a_small_export_is_the_file(self) -> None:
        self.client.force_login(self.li)
        r = self.client.get(API + "/ledger.xlsx")
        self.assertEqual((r.status_code, r["Content-Type"]), (200, XLSX))

    def test_a_large_export_answers_202_with_the_job_to_poll(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.get(API + "/ledger.xlsx", {"level": "0"})
        self.assertEqual(r.status_code, 202)
        job = Job.objects.get()
        self.assertEqual(job.params["filters"], {"level": "0"})
        self.assertEqual(
            r.json(),
            {
                "job": job.pk,
                "state": "done",  # the tests run jobs in the request
                "job_url": f"/api/v1/jobs/{job.pk}",
                "file_url": f"/api/v1/jobs/{job.pk}/file",
            },
        )
        polled = self.client.get(r.json()["job_url"]).json()
        self.assertEqual((polled["state"], polled["done"], polled["total"]), ("done", 3, 3))
        self.assertEqual(polled["file_url"], f"/api/v1/jobs/{job.pk}/file")
        f = self.client.get(polled["file_url"])
        self.assertEqual((f.status_code, f["Content-Type"]), (200, XLSX))
        with self.settings(HAZARD_EXPORT_BACKGROUND_ROWS=1000):
            direct = self.client.get(API + "/ledger.xlsx", {"level": "0"})
        self.assertEqual(rows_of(body(f)), rows_of(body(direct)))

    def test_who_may_download_through_the_api(self) -> None:
        self.client.force_login(self.chen)
        url = self.client.get(API + "/ledger.xlsx").json()["file_url"]
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 401)
        for outsider in (self.li, self.zhang, self.wang):
            with self.subTest(user=outsider.username):
                self.client.force_login(outsider)
                self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.chen)
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_openapi_declares_the_file_endpoint(self) -> None:
        from config.api import api

        paths = api.get_openapi_schema()["paths"]
        self.assertEqual(
            sorted(paths["/api/v1/jobs/{job_id}/file"]["get"]["responses"]), [200, 401, 404]
        )
        job_out = api.get_openapi_schema()["components"]["schemas"]["JobOut"]
        self.assertIn("file_url", job_out["properties"])
