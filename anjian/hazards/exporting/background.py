"""Large ledger exports on the job queue: over settings.HAZARD_EXPORT_BACKGROUND_ROWS rows the
workbook is written by the worker, which reports the rows written, and kept for download
(jobs.services.keep_file); smaller ones are downloaded at once."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from anjian.accounts.models import User
from anjian.hazards.exporting.labels import CHUNK
from anjian.hazards.exporting.ledger import ledger_filename, ledger_rows, write_ledger_xlsx
from anjian.hazards.filters import filtered_ledger
from anjian.hazards.models import HazardQuerySet
from anjian.jobs import services as jobs
from anjian.jobs.models import Job
from anjian.jobs.registry import Progress, handler

KIND = "hazards.export"


def in_background(qs: HazardQuerySet) -> bool:
    """More rows than the threshold? Counted no further than one past it, so the question
    costs the same for a zone-year as for a city."""
    limit = settings.HAZARD_EXPORT_BACKGROUND_ROWS
    return qs.order_by()[: limit + 1].count() > limit


def filter_params(data: Mapping[str, Any]) -> dict[str, str]:
    """The ledger filters as the job keeps them (JSON) and the filter form reads them back."""
    return {
        name: value.isoformat() if isinstance(value, datetime.date) else str(value)
        for name, value in data.items()
        if value is not None
    }


def submit_ledger_export(user: User, filters: Mapping[str, Any]) -> Job:
    """Put the export of the user's ledger, narrowed by `filters`, on the job queue."""
    return jobs.submit(KIND, user=user, params={"filters": filter_params(filters)})


class _Counter:
    """Passes the rows on and reports how many have been written (every chunk, and at the
    end: the total counted when the job started may have moved since)."""

    def __init__(self, total: int, progress: Progress) -> None:
        self.total, self.progress, self.written = total, progress, 0

    def rows(self, rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
        for row in rows:
            yield row
            self.written += 1
            if self.written % CHUNK == 0:
                self.progress(self.written, max(self.total, self.written))
        self.progress(self.written, self.written)


@handler(KIND, label=gettext_lazy("Hazard ledger export"))
def run_ledger_export(job: Job, progress: Progress) -> dict[str, Any]:
    """Write the workbook on a temporary file and keep it as the job's file. The scope and the
    filters are the requester's as they are when the job runs."""
    form, qs = filtered_ledger(job.params.get("filters", {}), job.user)
    if qs is None:
        raise ValueError(
            "; ".join(
                f"{name}: {' '.join(str(e) for e in errs)}" for name, errs in form.errors.items()
            )
        )
    today = timezone.localdate()
    total = qs.count()
    progress(0, total)
    counter = _Counter(total, progress)
    filename = ledger_filename(today)
    with tempfile.TemporaryFile() as out:
        write_ledger_xlsx(counter.rows(ledger_rows(qs, today)), out)
        out.seek(0)
        jobs.keep_file(job, out, filename)
    return {"rows": counter.written, "filename": filename}
