from django.contrib import admin

from anjian.lib.admin import ReadOnlyAdmin
from anjian.notifications.models import DigestRun, Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "text", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient", "hazard", "event"]


@admin.register(DigestRun)
class DigestRunAdmin(ReadOnlyAdmin):
    list_display = ["on", "recipient", "items", "sent_by", "failed"]
    list_filter = ["on"]
