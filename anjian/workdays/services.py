"""Entering a year of the calendar when the State Council publishes its notice."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.audit.log import record
from anjian.lib.errors import NotAllowed
from anjian.lib.scoping import holds
from anjian.workdays.models import HolidayNotice, SpecialDay
from anjian.workdays.published import Notice, day_rows, notice_fields


class YearError(ValueError):
    """A year that cannot be entered; the message says why."""


def already_entered(year: int) -> str:
    return _("%(year)s is already in the calendar.") % {"year": year}


def enter_year(notice: Notice, *, by: AbstractBaseUser) -> HolidayNotice:
    """Enter a year's notice and its days, all or nothing. A year is entered once: a second
    entry, even one racing this one, is refused."""
    if not holds(by, "workdays.manage"):
        raise NotAllowed("workdays.manage")
    try:
        with transaction.atomic():
            if HolidayNotice.objects.filter(year=notice.year).exists():
                raise YearError(already_entered(notice.year))
            row = HolidayNotice.objects.create(
                **notice_fields(notice), entered_by_id=by.pk, entered_at=timezone.now()
            )
            days = SpecialDay.objects.bulk_create(
                SpecialDay(notice=row, **r) for r in day_rows(notice)
            )
            record(
                by,
                "workdays.enter_year",
                row,
                changes={
                    "doc_no": notice.doc_no,
                    "holidays": [f"{h.name} {h.first}..{h.last}" for h in notice.holidays],
                    "worked": [d.isoformat() for d in notice.worked],
                    "days": len(days),
                },
            )
    except IntegrityError as exc:
        # Another admin entered the year, or a day of it, between the check and the insert.
        raise YearError(
            _("The calendar changed while %(year)s was being entered; reload and check it.")
            % {"year": notice.year}
        ) from exc
    return row
