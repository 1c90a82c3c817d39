from django.contrib import admin

from anjian.enterprises.models import Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    """Read-only: registry edits go through the pages and API, which audit them."""

    list_display = ["name", "uscc", "grid", "sector", "risk_class", "status"]
    list_filter = ["sector", "risk_class", "status"]
    search_fields = ["name", "uscc"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
