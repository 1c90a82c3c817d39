from django.contrib import admin

from anjian.enterprises.models import Enterprise
from anjian.lib.admin import ReadOnlyAdmin


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    """Read-only: registry edits go through the pages and API, which audit them."""

    list_display = ["name", "uscc", "grid", "sector", "risk_class", "status"]
    list_filter = ["sector", "risk_class", "status"]
    search_fields = ["name", "uscc"]
