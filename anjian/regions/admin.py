from django.contrib import admin

from anjian.regions.models import Grid, GridAssignment, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "path"]
    list_filter = ["level"]
    readonly_fields = ["path"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # The path of every descendant hangs on a region's code: regions are created by
        # seed/import commands that keep paths right, not edited here.
        return False


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "village", "office"]
    list_filter = ["office"]
    search_fields = ["name", "code"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(GridAssignment)
class GridAssignmentAdmin(admin.ModelAdmin):
    """Terms are history: started and ended on the grid page, never edited here."""

    list_display = ["grid", "user", "role", "starts_on", "ends_on"]
    list_filter = ["role"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
