from django.contrib import admin

from anjian.checklists.models import Checklist, ChecklistItem, ChecklistVersion, Standard
from anjian.lib.admin import ReadOnlyAdmin


@admin.register(Standard)
class StandardAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "doc_no", "effective_on"]


@admin.register(Checklist)
class ChecklistAdmin(ReadOnlyAdmin):
    """Read-only: versions are drafted and published on the checklist pages, which audit."""

    list_display = ["code", "title", "standard", "clause"]


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(ReadOnlyAdmin):
    list_display = ["checklist", "number", "status", "published_at"]
    list_filter = ["status"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "version", "determination", "verification"]
    list_filter = ["determination", "verification"]
    search_fields = ["code", "text"]
