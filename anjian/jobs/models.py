"""A piece of long work run by the job queue: who asked, what, how far it got, what came of it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.jobs.registry import LABELS
from anjian.lib.scoping import ScopeColumns, ScopedQuerySet


class State(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


FINISHED = (State.DONE, State.FAILED)


class JobQuerySet(ScopedQuerySet["Job"]):
    # A job is its owner's; the zone admin also sees the jobs run in their zone.
    scope_columns = ScopeColumns(person="user", zone="zone", capability="jobs.oversee")


class Job(models.Model):
    """One run of a registered handler (anjian.jobs.registry) on the job queue.

    The row holds the state and the outcome. Progress while running lives in the queue's own
    store (see services.progress_of), because the work usually holds a database transaction
    that the progress must not wait for.
    """

    kind = models.CharField(_("kind"), max_length=50)
    handler = models.CharField(max_length=200)
    user = models.ForeignKey(
        "accounts.User", models.CASCADE, related_name="+", verbose_name=_("started by")
    )
    zone = models.ForeignKey(
        "regions.Region", models.CASCADE, null=True, blank=True, related_name="+"
    )
    params = models.JSONField(default=dict)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    next_url = models.CharField(max_length=300, blank=True)
    # A file the job made (an export) and the name it is downloaded under; kept for
    # settings.JOB_FILE_KEEP_HOURS after the job finished (services.file_of, sweep_files).
    file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["user", "-created_at"], name="job_user_created")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def kind_label(self) -> str:
        return str(LABELS.get(self.kind, self.kind))

    @property
    def finished(self) -> bool:
        return self.state in FINISHED
