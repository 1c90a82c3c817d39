"""The queue's tasks. `run_huey` (the consumer) imports this module of every app."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from anjian.jobs import services

log = logging.getLogger(__name__)


@db_task()
def run_job(job_id: int) -> None:
    services.execute(job_id)


@db_periodic_task(crontab(minute="17"))
def sweep_job_files() -> None:
    """Every hour: the files of jobs (exports) kept past JOB_FILE_KEEP_HOURS are removed.
    They are refused for download from then on whether or not this has run yet."""
    log.info("job files removed: %s", services.sweep_files())
