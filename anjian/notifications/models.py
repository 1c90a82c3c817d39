"""In-app notifications and the record of daily digests sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.lib.scoping import ScopeColumns, ScopedQuerySet

if TYPE_CHECKING:
    pass


class Kind(models.TextChoices):
    HAZARD_REGISTERED = "hazard_registered", _("New hazard")
    HAZARD_REJECTED = "hazard_rejected", _("Rectification not accepted")
    EXTENSION_DECIDED = "extension_decided", _("Extension decided")
    RECTIFICATION_SUBMITTED = "rectification_submitted", _("Rectification to accept")
    NOTICE_ISSUED = "notice_issued", _("Rectification notice issued")
    DIGEST = "digest", _("Daily digest")


class NotificationQuerySet(ScopedQuerySet["Notification"]):
    # A notification is its recipient's business only.
    scope_columns = ScopeColumns(person="recipient")

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one person, shown in the app until they mark it read.

    `event` is set for notifications about a hazard event, so that telling people about the
    same event twice (a retried job) writes nothing new.
    """

    recipient = models.ForeignKey(
        "accounts.User", models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    hazard = models.ForeignKey(
        "hazards.Hazard", models.CASCADE, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        "hazards.HazardEvent", models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # A person's notifications, newest first, paged by (created_at, id).
            models.Index(fields=["recipient", "created_at", "id"], name="notif_recipient_time"),
            # The unread count in the header badge: only unread rows are in this index.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notif_unread"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient"],
                condition=Q(event__isnull=False),
                name="notif_once_per_event",
                violation_error_message=_("This person has been told about this event already."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def target(self) -> str:
        """Where reading it leads: its own link, else its hazard's page where there is one."""
        if self.link or self.hazard_id is None:
            return self.link
        try:
            return reverse("hazards:detail", args=[self.hazard_id])
        except NoReverseMatch:
            return ""


class DigestRun(models.Model):
    """One person's daily digest on one day: at most one, so a second run of the job the
    same day sends nothing twice. `created_at` is where the next digest's "new since" starts.
    """

    recipient = models.ForeignKey("accounts.User", models.CASCADE, related_name="+")
    on = models.DateField(_("date"))
    created_at = models.DateTimeField(default=timezone.now)
    items = models.PositiveIntegerField(_("items reported"), default=0)
    sent_by = models.JSONField(_("sent by"), default=list, blank=True)
    failed = models.JSONField(_("failed"), default=list, blank=True)

    class Meta:
        verbose_name = _("digest run")
        verbose_name_plural = _("digest runs")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "on"],
                name="digest_once_per_day",
                violation_error_message=_("This person has had today's digest already."),
            ),
        ]
        indexes = [
            # The previous digest of each person (the start of "new since the last digest").
            models.Index(fields=["recipient", "created_at"], name="digest_recipient_time"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.on}"
