"""Evidence: the photos (and, later, documents) that records point at as proof."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Photo(models.Model):
    """A photo taken in the field, checked by its bytes and size when uploaded (evidence.
    services), with the time and place it was taken. Visits, answers, hazards and their
    events point at photos; a photo is seen only through a record its viewer may see."""

    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4)
    file = models.FileField(upload_to="photos/%Y/%m/")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    taken_at = models.DateTimeField(default=timezone.now)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    zone = models.ForeignKey("regions.Region", models.PROTECT, related_name="+", null=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return f"photo {self.pk}"
