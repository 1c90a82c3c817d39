"""The queue's tasks. `run_huey` (the consumer) imports this module of every app."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from anjian.jobs import services


@db_task()
def run_job(job_id: int) -> None:
    services.execute(job_id)
