"""Starting jobs, running them on the queue, and reading how far they got."""

from __future__ import annotations

import datetime
import logging
import time
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from anjian.accounts.models import User
from anjian.accounts.scope import scope_of
from anjian.audit.log import record
from anjian.jobs import registry
from anjian.jobs.models import Job, State

log = logging.getLogger(__name__)

# Progress is written to the queue's store at most this often (seconds), and always at the end.
PROGRESS_EVERY = 0.5


def submit(
    kind: str, *, user: User, params: dict[str, Any] | None = None, next_url: str = ""
) -> Job:
    """Record a job and put it on the queue once the caller's transaction has committed.

    In immediate mode (tests, `HUEY_IMMEDIATE=true`) the job has run when this returns.
    """
    job = Job.objects.create(
        kind=kind,
        handler=registry.path_of(kind),
        user=user,
        zone_id=scope_of(user).zone_id,
        params=params or {},
        next_url=next_url,
    )
    record(
        user, "job.submit", job, changes={"kind": kind, "params": job.params}, zone_id=job.zone_id
    )
    # The task module imports this one (its task runs execute()): read at call time.
    from anjian.jobs.tasks import run_job

    if HUEY.immediate:
        run_job(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: run_job(job.pk))
    return job


def _key(job_id: int) -> str:
    return f"anjian.job.progress.{job_id}"


def progress_of(job: Job) -> tuple[int, int, str]:
    """(done, total, message): live from the queue's store while running, else the row's."""
    if job.state == State.RUNNING:
        live = HUEY.get(_key(job.pk), peek=True)
        if live is not None:
            done, total, message = live
            return int(done), int(total), str(message)
    return job.done, job.total, job.message


def percent(job: Job, progress: tuple[int, int, str] | None = None) -> int:
    """How far the job got; pass what progress_of gave, if read already."""
    if job.state == State.DONE:
        return 100
    done, total, _message = progress or progress_of(job)
    return min(100, done * 100 // total) if total else 0


class _Reporter:
    """The `progress` callable handed to a handler: throttled writes to the queue's store."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.last = 0.0
        self.state: tuple[int, int, str] = (0, 0, "")

    def __call__(self, done: int, total: int, message: str = "") -> None:
        self.state = (done, total, message)
        now = time.monotonic()
        if now - self.last >= PROGRESS_EVERY or (total and done >= total):
            self.last = now
            HUEY.put(_key(self.job.pk), self.state)


def execute(job_id: int) -> None:
    """Run one job (called by the queue's worker). Safe to call again: a job runs once."""
    claimed = Job.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        log.info("job %s is not waiting; not run again", job_id)
        return
    job = Job.objects.select_related("user").get(pk=job_id)
    reporter = _Reporter(job)
    try:
        fn = registry.lookup(job.kind, job.handler)
        result = fn(job, reporter)
    except Exception as exc:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        done, total, message = reporter.state
        Job.objects.filter(pk=job.pk).update(
            state=State.FAILED,
            error=str(exc) or exc.__class__.__name__,
            done=done,
            total=total,
            message=message[:200],
            finished_at=timezone.now(),
        )
    else:
        done, total, message = reporter.state
        Job.objects.filter(pk=job.pk).update(
            state=State.DONE,
            result=result or {},
            done=max(done, total),
            total=total,
            message=message[:200],
            finished_at=timezone.now(),
        )
    finally:
        HUEY.get(_key(job.pk))  # reading without peek removes the live entry


# --- files a job made -------------------------------------------------------------------------


def keep_file(job: Job, content: IO[bytes], filename: str) -> None:
    """Store a file the job made (an export) for download under `filename`: on the media
    storage, so any app server can send it, for settings.JOB_FILE_KEEP_HOURS."""
    suffix = filename.rpartition(".")[2]
    job.file.save(f"job-{job.pk}.{suffix}", File(content), save=False)
    job.filename = filename
    Job.objects.filter(pk=job.pk).update(file=job.file.name, filename=filename)


def _kept_since() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=settings.JOB_FILE_KEEP_HOURS)


def has_file(job: Job) -> bool:
    """The job is done and its file is still kept."""
    return (
        job.state == State.DONE
        and bool(job.file)
        and job.finished_at is not None
        and job.finished_at >= _kept_since()
    )


def file_url(job: Job, *, api: bool = False) -> str:
    """Where the job's file is downloaded ("" when there is none, or no longer)."""
    if not has_file(job):
        return ""
    return f"/api/v1/jobs/{job.pk}/file" if api else reverse("jobs:file", args=[job.pk])


def job_with_file(user: User, pk: int) -> Job:
    """A job the user may see (its owner, or the zone admin overseeing its zone, who sees every
    row of the zone) whose file is still kept; else Http404, as for a job that never was."""
    job = Job.objects.get_for(user, pk)
    if not has_file(job):
        raise Http404("job file")
    return job


def sweep_files() -> int:
    """Remove the files kept longer than settings.JOB_FILE_KEEP_HOURS; how many."""
    expired = Job.objects.filter(finished_at__lt=_kept_since()).exclude(file="")
    removed = 0
    for job in expired.iterator():
        job.file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(file="")
        removed += 1
    return removed
