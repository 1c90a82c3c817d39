"""Background jobs: submitting, running, progress, the page and the API, who sees what."""

from __future__ import annotations

import datetime
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import TransactionTestCase, override_settings
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage, SqliteStorage

from anjian.accounts.models import Role
from anjian.audit.models import Entry
from anjian.jobs import registry, services
from anjian.jobs.models import Job, State
from anjian.jobs.tests import handlers
from anjian.notifications import tasks as notification_tasks
from anjian.notifications.models import DigestRun
from anjian.regions.models import RegionLevel
from anjian.test import World, make_region, make_user

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


class SubmitTest(World):
    def test_a_job_runs_its_handler_and_keeps_the_result(self) -> None:
        job = services.submit("test.count", user=self.li, params={"n": 7}, next_url="/hazards/")
        self.assertEqual(job.state, State.DONE)
        self.assertEqual(job.result["counted"], 7)
        self.assertEqual((job.done, job.total, job.message), (7, 7, "row 7"))
        self.assertEqual(services.percent(job), 100)
        self.assertEqual(job.zone_id, self.zone.pk)
        self.assertIsNotNone(job.started_at)
        self.assertIsNotNone(job.finished_at)
        self.assertTrue(Entry.objects.filter(action="job.submit", object_id=str(job.pk)).exists())

    def test_a_failing_handler_fails_the_job_with_its_message(self) -> None:
        job = services.submit("test.fail", user=self.li)
        self.assertEqual(job.state, State.FAILED)
        self.assertEqual(job.error, "第 4 行无法读取")
        self.assertEqual((job.done, job.total), (3, 10))
        self.assertEqual(services.percent(job), 30)

    def test_an_unknown_kind_is_refused_before_anything_is_written(self) -> None:
        with self.assertRaises(LookupError):
            services.submit("no.such.kind", user=self.li)
        self.assertFalse(Job.objects.exists())

    def test_a_job_runs_once(self) -> None:
        job = services.submit("test.count", user=self.li, params={"n": 2})
        Job.objects.filter(pk=job.pk).update(result={"kept": True})
        services.execute(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.result, {"kept": True})

    def test_two_handlers_for_one_kind_are_refused(self) -> None:
        def other(job: Job, progress: registry.Progress) -> dict[str, Any]:
            return {}

        with self.assertRaises(ValueError):
            registry.handler("test.count")(other)


class JobPageTest(World):
    def setUp(self) -> None:
        self.job = services.submit(
            "test.count", user=self.li, params={"n": 3}, next_url="/hazards/"
        )

    def test_who_sees_a_job(self) -> None:
        other_zone = make_region("另一园区", RegionLevel.ZONE, code="99")
        other_admin = make_user("other-admin", Role.ZONE_ADMIN, region=other_zone)
        page = f"/jobs/{self.job.pk}/"
        api = f"/api/v1/jobs/{self.job.pk}"
        self.assertEqual(self.client.get(page).status_code, 302)
        self.assertEqual(self.client.get(api).status_code, 401)
        for user, status in [
            (self.qian, 404),  # another officer
            (self.zhao, 404),
            (other_admin, 404),  # the admin of another zone
            (self.li, 200),  # its owner
            (self.chen, 200),  # the zone's admin
        ]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(page).status_code, status)
                self.assertEqual(self.client.get(api).status_code, status)

    def test_the_page_shows_the_outcome_and_the_way_on(self) -> None:
        self.client.force_login(self.li)
        body = self.client.get(f"/jobs/{self.job.pk}/").content.decode()
        self.assertIn("计数", body)
        self.assertIn('data-state="done"', body)
        self.assertIn("100%", body)
        self.assertIn('href="/hazards/"', body)
        self.assertNotIn("hx-trigger", body)  # a finished job is not polled

    def test_htmx_is_sent_on_when_the_job_is_done(self) -> None:
        self.client.force_login(self.li)
        r = self.client.get(f"/jobs/{self.job.pk}/progress/", headers={"HX-Request": "true"})
        self.assertEqual(r["HX-Redirect"], "/hazards/")

    def test_a_failed_job_shows_its_error(self) -> None:
        job = services.submit("test.fail", user=self.li)
        self.client.force_login(self.li)
        body = self.client.get(f"/jobs/{job.pk}/").content.decode()
        self.assertIn("第 4 行无法读取", body)
        r = self.client.get(f"/jobs/{job.pk}/progress/", headers={"HX-Request": "true"})
        self.assertNotIn("HX-Redirect", r)

    def test_the_api(self) -> None:
        self.client.force_login(self.li)
        data = self.client.get(f"/api/v1/jobs/{self.job.pk}").json()
        self.assertEqual(data["state"], "done")
        self.assertEqual(data["percent"], 100)
        self.assertEqual(data["result"]["counted"], 3)
        self.assertEqual(self.client.get("/api/v1/jobs/999999").status_code, 404)


class DigestScheduleTest(World):
    def test_the_digest_is_due_at_the_configured_local_time(self) -> None:
        task = notification_tasks.daily_digest.s()
        at = datetime.datetime(2026, 11, 30, 7, 30)  # huey passes local time (utc=False)
        self.assertTrue(task.validate_datetime(at))
        self.assertFalse(task.validate_datetime(at + datetime.timedelta(minutes=1)))
        self.assertFalse(task.validate_datetime(at - datetime.timedelta(hours=1)))

    @override_settings(NOTIFY_DIGEST_AT="18:05")
    def test_the_time_is_a_setting(self) -> None:
        schedule = notification_tasks.digest_schedule()
        self.assertTrue(schedule(datetime.datetime(2026, 11, 30, 18, 5)))
        self.assertFalse(schedule(datetime.datetime(2026, 11, 30, 7, 30)))

    def test_the_periodic_task_sends_the_days_digest_once(self) -> None:
        notification_tasks.daily_digest.call_local()
        today = timezone.localdate()
        sent = DigestRun.objects.filter(on=today).count()
        self.assertGreater(sent, 0)
        notification_tasks.daily_digest.call_local()
        self.assertEqual(DigestRun.objects.filter(on=today).count(), sent)


@pytest.mark.django_db(transaction=True)
class RealWorkerTest(TransactionTestCase):
    """A worker thread of huey's own consumer takes the job off a queue file, as in production."""

    def queue(self, tmp: str) -> Any:
        return SqliteStorage("anjian-test", filename=str(Path(tmp) / "q.sqlite3"))

    def setUp(self) -> None:
        self.zone = make_region("示范区", RegionLevel.ZONE, code="01")
        self.li = make_user("li", Role.OFFICER, region=self.zone, certificate_no="执01")
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        HUEY.immediate = False
        self.addCleanup(setattr, HUEY, "immediate", True)
        old_storage = HUEY.storage
        HUEY.storage = self.queue(tmp.name)
        self.addCleanup(setattr, HUEY, "storage", old_storage)
        self.consumer = HUEY.create_consumer(workers=1, worker_type="thread", periodic=False)
        self.consumer.start()
        self.addCleanup(self.consumer.stop, graceful=True)
        handlers.REACHED_HALF.clear()
        handlers.MAY_FINISH.clear()
        if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
            # The test database in memory is one shared cache, where a write fails at once
            # ("table is locked") while another connection reads: the test's polling must
            # not lock the job's row from the worker, as it would not in production (WAL).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA read_uncommitted = 1")
            self.addCleanup(self._read_committed)

    def _read_committed(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 0")

    def wait_for(self, job: Job, state: str) -> Job:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.state == state:
                return job
            time.sleep(0.05)
        self.fail(f"job stayed {job.state}, expected {state}")

    def test_the_worker_runs_the_job_and_progress_is_read_while_it_runs(self) -> None:
        job = services.submit("test.slow", user=self.li, params={})
        self.assertTrue(handlers.REACHED_HALF.wait(timeout=20), "the worker never started the job")
        job.refresh_from_db()
        self.assertEqual(job.state, State.RUNNING)
        self.assertEqual(services.progress_of(job), (5, 10, "half way"))
        self.assertEqual(services.percent(job), 50)
        handlers.MAY_FINISH.set()
        job = self.wait_for(job, State.DONE)
        self.assertEqual(job.result, {"ok": True})
        self.assertEqual((job.done, job.total), (10, 10))
        self.assertIsNone(HUEY.get(f"anjian.job.progress.{job.pk}", peek=True))


class RedisWorkerTest(RealWorkerTest):
    """The same on Redis (HUEY_REDIS_URL), the queue at scale; the machine runs one on :6379."""

    def queue(self, tmp: str) -> Any:
        storage = RedisStorage(f"anjian-test-{uuid.uuid4().hex}", url=REDIS_URL)
        self.addCleanup(storage.flush_all)
        return storage
