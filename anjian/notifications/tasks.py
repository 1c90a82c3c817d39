"""The daily digest on the job queue: sent every day at NOTIFY_DIGEST_AT (local time)."""

from __future__ import annotations

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from anjian.notifications.digest import send_digest

log = logging.getLogger(__name__)


def digest_schedule() -> crontab:
    hour, minute = settings.NOTIFY_DIGEST_AT.split(":")
    return crontab(hour=str(int(hour)), minute=str(int(minute)))


@db_periodic_task(digest_schedule())
def daily_digest() -> None:
    """Safe to run twice on one day: people who had the day's digest are skipped."""
    summary = send_digest()
    log.info(
        "daily digest: %s recipients, %s sent, %s empty, %s had it already",
        summary.recipients,
        summary.sent,
        summary.empty,
        summary.already_done,
    )
