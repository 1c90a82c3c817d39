"""A job's page: its progress bar, polled by htmx, and where to go when it is done."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.shortcuts import render

from anjian.accounts.typing import AuthedRequest
from anjian.jobs import services
from anjian.jobs.models import Job, State


def _context(job: Job) -> dict[str, object]:
    progress = services.progress_of(job)
    done, total, message = progress
    return {
        "job": job,
        "done": done,
        "total": total,
        "message": message,
        "percent": services.percent(job, progress),
        "file_url": services.file_url(job),
        "keep_hours": settings.JOB_FILE_KEEP_HOURS,
    }


def job_page(request: AuthedRequest, pk: int) -> HttpResponse:
    return render(request, "jobs/job.html", _context(Job.objects.get_for(request.user, pk)))


def job_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """The progress fragment; once the job is done, htmx is sent on to the job's next page."""
    job = Job.objects.get_for(request.user, pk)
    response = render(request, "jobs/_progress.html", _context(job))
    if job.state == State.DONE and job.next_url and request.htmx:
        response["HX-Redirect"] = job.next_url
    return response


def job_file(request: AuthedRequest, pk: int) -> FileResponse:
    """The file the job made (an export), to its owner or the zone admin overseeing it."""
    return file_response(services.job_with_file(request.user, pk))


def file_response(job: Job) -> FileResponse:
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
