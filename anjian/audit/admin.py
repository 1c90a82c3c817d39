from django.contrib import admin

from anjian.audit.models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """The audit trail can be read here, never changed."""

    list_display = ["at", "actor_name", "action", "object_repr", "channel"]
    list_filter = ["channel", "action"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
