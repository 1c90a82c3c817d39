"""/api/v1/jobs/{id}: how far a background job got, and its result."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import FileResponse, Http404
from ninja import Router
from pydantic import BaseModel

from anjian.accounts.typing import AuthedRequest
from anjian.jobs import services
from anjian.jobs.models import Job
from anjian.jobs.views import file_response
from anjian.lib.api import binary_responses, errors

router = Router(tags=["jobs"])


class JobOut(BaseModel):
    id: int
    kind: str
    state: str
    done: int
    total: int
    percent: int
    message: str
    result: dict[str, Any]
    error: str
    next_url: str
    # Where the file the job made (an export) is downloaded once it is done; "" when the job
    # makes none, or its file is no longer kept (JOB_FILE_KEEP_HOURS).
    file_url: str
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None


# `int:` in the paths: an id that is not a number is a 404, as an id of no job is.
@router.get("/{int:job_id}", response={200: JobOut, **errors(401, 404)})
def get_job(request: AuthedRequest, job_id: int) -> dict[str, Any]:
    """Poll this until `state` is `done` or `failed`; `result` then holds the outcome."""
    job = Job.objects.visible_to(request.user).filter(pk=job_id).first()
    if job is None:
        raise Http404
    progress = services.progress_of(job)
    done, total, message = progress
    return {
        "id": job.pk,
        "kind": job.kind,
        "state": job.state,
        "done": done,
        "total": total,
        "percent": services.percent(job, progress),
        "message": message,
        "result": job.result,
        "error": job.error,
        "next_url": job.next_url,
        "file_url": services.file_url(job, api=True),
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


@router.get(
    "/{int:job_id}/file",
    response={200: None, **errors(401, 404)},
    openapi_extra=binary_responses("the file the job made", "application/octet-stream"),
)
def get_job_file(request: AuthedRequest, job_id: int) -> FileResponse:
    """The file a finished job made (a large ledger export), while it is kept
    (`JOB_FILE_KEEP_HOURS`); 404 before it is done, after, and for others' jobs."""
    return file_response(services.job_with_file(request.user, job_id))
