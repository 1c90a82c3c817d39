from django.contrib import admin

from anjian.jobs.models import Job
from anjian.lib.admin import ReadOnlyAdmin


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "state", "user", "done", "total", "created_at", "finished_at")
    list_filter = ("state", "kind")
