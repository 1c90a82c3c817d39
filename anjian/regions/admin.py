from django.contrib import admin

from anjian.lib.admin import ReadOnlyAdmin
from anjian.regions.models import Grid, GridAssignment, Region


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    """Read-only: every descendant's path hangs on a region's code, so the tree changes only
    through regions.services (the regions page), which keeps paths right and audits."""

    list_display = ["name", "code", "level", "path"]
    list_filter = ["level"]


@admin.register(Grid)
class GridAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "village", "office"]
    list_filter = ["office"]
    search_fields = ["name", "code"]


@admin.register(GridAssignment)
class GridAssignmentAdmin(ReadOnlyAdmin):
    """Terms are history: started and ended on the grid page, never edited here."""

    list_display = ["grid", "user", "role", "starts_on", "ends_on"]
    list_filter = ["role"]
