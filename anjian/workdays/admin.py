from django.contrib import admin

from anjian.lib.admin import ReadOnlyAdmin
from anjian.workdays.models import HolidayNotice, SpecialDay


@admin.register(HolidayNotice)
class HolidayNoticeAdmin(ReadOnlyAdmin):
    """Read-only: a year is entered from the workdays page (workdays.services.enter_year),
    which checks every line and audits; the published years come from a data migration."""

    list_display = ["year", "doc_no", "issued_on", "amended_by", "entered_by", "entered_at"]


@admin.register(SpecialDay)
class SpecialDayAdmin(ReadOnlyAdmin):
    list_display = ["day", "kind", "name", "notice"]
    list_filter = ["kind", "notice"]
    date_hierarchy = "day"
