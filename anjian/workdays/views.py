from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from anjian.accounts.typing import AuthedRequest
from anjian.lib.access import requires
from anjian.workdays import services
from anjian.workdays.calendar import group_holidays
from anjian.workdays.forms import YearForm
from anjian.workdays.models import DayKind, HolidayNotice


@requires("workdays.view")
def years(request: AuthedRequest) -> HttpResponse:
    """The entered years, each with its notice, its source and its counts."""
    notices = (
        HolidayNotice.objects.with_counts()
        .select_related("entered_by")
        .prefetch_related("days")
        .order_by("-year")
    )
    rows = [
        (n, group_holidays((d.day, d.name) for d in n.days.all() if d.kind == DayKind.OFF))
        for n in notices
    ]
    return render(
        request,
        "workdays/years.html",
        {"rows": rows, "can_manage": request.user.can("workdays.manage")},
    )


@requires("workdays.manage")
def enter_year(request: AuthedRequest) -> HttpResponse:
    """Enter a year the State Council has published."""
    form = YearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.enter_year(form.notice(), by=request.user)
        except services.YearError as exc:
            form.add_error("year", str(exc))
        else:
            messages.success(request, _("%(year)s is in the calendar.") % {"year": notice.year})
            return redirect("workdays:years")
    return render(request, "workdays/enter.html", {"form": form})
