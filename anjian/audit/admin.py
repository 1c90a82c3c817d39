from django.contrib import admin

from anjian.audit.models import Entry
from anjian.lib.admin import ReadOnlyAdmin


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    """The audit trail can be read here, never changed."""

    list_display = ["at", "actor_name", "action", "object_repr", "channel"]
    list_filter = ["channel", "action"]
