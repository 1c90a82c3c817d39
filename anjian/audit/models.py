"""The audit trail: who changed what, when, and from where."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.lib.scoping import ScopeColumns, ScopedQuerySet


class Channel(models.TextChoices):
    PAGE = "page", _("Web page")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    COMMAND = "command", _("Command")
    SYSTEM = "system", _("System")


class EntryQuerySet(ScopedQuerySet["Entry"]):
    # Zone admins read their zone's trail; nobody else reads it.
    scope_columns = ScopeColumns(zone="zone", capability="audit.view")


class Entry(models.Model):
    """One write, recorded by `audit.record()` in the same transaction as the write itself.

    Never edited or deleted through the product: the admin is read-only and there is no
    endpoint that changes an entry.
    """

    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=50)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.CharField(_("object id"), max_length=40)
    object_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    channel = models.CharField(_("from"), max_length=10, choices=Channel.choices)
    # Where a request came from (REMOTE_ADDR: behind a proxy, the proxy must pass it on) and
    # what it said it was; empty for jobs and commands.
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=200, blank=True)
    zone = models.ForeignKey(
        "regions.Region", models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            # The audit page: a zone's entries, newest first.
            models.Index(fields=["zone", "-at", "-id"], name="audit_zone_at"),
            # "History of this object" on detail pages.
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"
