"""The form a zone admin enters a year with, as the clerk copies it from the gov.cn notice.

Holidays are one a line, "国庆节 2027-10-01 2027-10-07" (a one-day holiday may give one date;
"至" or "~" may stand between the dates); adjusted working days (调休上班) one date a line.
Dates may be written 2027-10-01, 2027/10/1 or 2027年10月1日. Every line is checked and every
problem is reported with its line number, so one round fixes them all.
"""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anjian.lib.forms import bootstrap
from anjian.workdays.calendar import Holiday
from anjian.workdays.models import HolidayNotice, SpecialDay
from anjian.workdays.published import Notice
from anjian.workdays.services import already_entered

DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
RANGE_WORDS = re.compile(r"至|到|~|～|—")
EXAMPLE = "国庆节 2027-10-01 2027-10-07"

Lines = list[tuple[int, Any]]  # (line number, what the line says)


def max_length(model: type[models.Model], name: str) -> int:
    """The model's limit, so the form refuses what the column would."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.max_length
    return field.max_length


NAME_MAX = max_length(SpecialDay, "name")


def parse_date(text: str) -> datetime.date | None:
    match = DATE.match(text)
    if match is None:
        return None
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def numbered(text: str) -> list[tuple[int, str]]:
    """The non-blank lines with their numbers as the clerk sees them (blank lines count)."""
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1)]
    return [(n, line) for n, line in lines if line]


def not_a_date(n: int, text: str) -> str:
    return _("Line %(line)s: “%(text)s” is not a date; write it as 2027-10-01.") % {
        "line": n,
        "text": text if len(text) <= 20 else f"{text[:20]}…",
    }


def parse_holiday(n: int, line: str) -> Holiday | str:
    """A holiday line, or the message that says what is wrong with it."""
    words = RANGE_WORDS.sub(" ", line).split()
    if len(words) not in (2, 3) or parse_date(words[0]) is not None:
        return _(
            "Line %(line)s: write the holiday's name, then its first and last day, "
            "e.g. “%(example)s”."
        ) % {"line": n, "example": EXAMPLE}
    name, dates = words[0], [parse_date(w) for w in words[1:]]
    for word, day in zip(words[1:], dates, strict=True):
        if day is None:
            return not_a_date(n, word)
    if len(name) > NAME_MAX:
        return _("Line %(line)s: the name is longer than %(max)s characters.") % {
            "line": n,
            "max": NAME_MAX,
        }
    first, last = dates[0], dates[-1]
    assert first is not None and last is not None
    if last < first:
        return _("Line %(line)s: the last day (%(last)s) is before the first (%(first)s).") % {
            "line": n,
            "last": last,
            "first": first,
        }
    return Holiday(name, first, last)


def in_year(day: datetime.date, year: int) -> bool:
    """A notice's days are in its year, or in the December before (2023's 元旦 began on
    2022-12-31)."""
    return day.year == year or (day.year == year - 1 and day.month == 12)


def outside(n: int, day: datetime.date, year: int) -> str:
    return _("Line %(line)s: %(day)s is not in %(year)s.") % {"line": n, "day": day, "year": year}


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=pgettext_lazy("holiday notice", "notice"),
        max_length=max_length(HolidayNotice, "title"),
        help_text=_("As on gov.cn, e.g. 国务院办公厅关于2027年部分节假日安排的通知"),
    )
    doc_no = forms.CharField(
        label=pgettext_lazy("holiday notice", "document number"),
        max_length=max_length(HolidayNotice, "doc_no"),
        help_text=_("e.g. 国办发明电〔2026〕7号"),
    )
    issued_on = forms.DateField(
        label=pgettext_lazy("holiday notice", "issued on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    source_url = forms.URLField(
        label=_("source"),
        assume_scheme="https",
        max_length=max_length(HolidayNotice, "source_url"),
        help_text=_("The notice's address on www.gov.cn."),
    )
    holidays = forms.CharField(
        label=_("holidays"),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": f"元旦 2027-01-01\n{EXAMPLE}"}),
        help_text=_(
            "One holiday a line: its name, its first and its last day off, the weekend days "
            "inside it included (放假调休，共N天)."
        ),
    )
    worked = forms.CharField(
        label=_("adjusted working days"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "2027-09-26\n2027-10-09"}),
        help_text=_("One date a line: the Saturdays and Sundays worked (调休上班)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_source_url(self) -> str:
        url = str(self.cleaned_data["source_url"])
        host = urlsplit(url).hostname or ""
        if host != "gov.cn" and not host.endswith(".gov.cn"):
            raise forms.ValidationError(_("Give the notice's address on www.gov.cn."))
        return url

    def clean_holidays(self) -> Lines:
        parsed = [
            (n, parse_holiday(n, line)) for n, line in numbered(self.cleaned_data["holidays"])
        ]
        errors = [h for _n, h in parsed if isinstance(h, str)]
        if errors:
            raise forms.ValidationError(errors)
        if not parsed:
            raise forms.ValidationError(_("Give at least one holiday."))
        return parsed

    def clean_worked(self) -> Lines:
        parsed: Lines = []
        errors: list[str] = []
        seen: dict[datetime.date, int] = {}
        for n, line in numbered(self.cleaned_data["worked"]):
            day = parse_date(line)
            if day is None:
                errors.append(not_a_date(n, line))
            elif day in seen:
                errors.append(
                    _("Line %(line)s: %(day)s is already on line %(other)s.")
                    % {"line": n, "day": day, "other": seen[day]}
                )
            elif day.weekday() < 5:
                errors.append(
                    _(
                        "Line %(line)s: %(day)s is a weekday; an adjusted working day "
                        "(调休上班) is a Saturday or a Sunday."
                    )
                    % {"line": n, "day": day}
                )
            else:
                seen[day] = n
                parsed.append((n, day))
        if errors:
            raise forms.ValidationError(errors)
        return parsed

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year = data.get("year")
        if year is None:
            return data
        if HolidayNotice.objects.filter(year=year).exists():
            self.add_error("year", already_entered(year))
            return data
        self._check_issued(year, data.get("issued_on"))
        holidays, worked = data.get("holidays"), data.get("worked")
        if holidays is not None:
            self._check_holidays(year, holidays)
        if worked is not None:
            self._check_worked(year, worked, holidays or [])
        return data

    def _check_issued(self, year: int, issued_on: datetime.date | None) -> None:
        if issued_on is None:
            return
        if issued_on.year not in (year - 1, year):
            self.add_error(
                "issued_on",
                _("A notice for %(year)s is issued in %(before)s or %(year)s.")
                % {"year": year, "before": year - 1},
            )
        elif issued_on > timezone.localdate():
            self.add_error("issued_on", _("The notice cannot be issued after today."))

    def _check_holidays(self, year: int, holidays: Lines) -> None:
        errors: list[str] = []
        for i, (n, h) in enumerate(holidays):
            for day in (h.first, h.last):
                if not in_year(day, year):
                    errors.append(outside(n, day, year))
            for m, other in holidays[:i]:
                if h.first <= other.last and other.first <= h.last:
                    errors.append(
                        _("Line %(line)s: %(name)s overlaps line %(other)s (%(other_name)s).")
                        % {"line": n, "name": h.name, "other": m, "other_name": other.name}
                    )
        whole = [(n, h) for n, h in holidays if in_year(h.first, year) and in_year(h.last, year)]
        days = {h.first + datetime.timedelta(days=k): n for n, h in whole for k in range(h.days)}
        errors += self._taken(days, year)
        for error in errors:
            self.add_error("holidays", error)

    def _check_worked(self, year: int, worked: Lines, holidays: Lines) -> None:
        errors: list[str] = []
        for n, day in worked:
            if not in_year(day, year):
                errors.append(outside(n, day, year))
            for m, h in holidays:
                if h.first <= day <= h.last:
                    errors.append(
                        _(
                            "Line %(line)s: %(day)s is a day off in %(name)s (holidays, line %(other)s)."
                        )
                        % {"line": n, "day": day, "name": h.name, "other": m}
                    )
        errors += self._taken({day: n for n, day in worked}, year)
        for error in errors:
            self.add_error("worked", error)

    def _taken(self, line_of: dict[datetime.date, int], year: int) -> list[str]:
        """Of the year's days (date -> line), those another year's notice already holds: a
        December day that the notice after it took for its 元旦."""
        days = [day for day in line_of if in_year(day, year)]
        taken = SpecialDay.objects.filter(day__in=days).select_related("notice")
        return [
            _("Line %(line)s: %(day)s is already in the calendar, by %(notice)s.")
            % {"line": line_of[s.day], "day": s.day, "notice": s.notice.doc_no}
            for s in taken.order_by("day")
        ]

    def notice(self) -> Notice:
        """The year as entered (call after is_valid())."""
        d = self.cleaned_data
        return Notice(
            year=d["year"],
            title=d["title"],
            doc_no=d["doc_no"],
            issued=d["issued_on"],
            source=d["source_url"],
            holidays=tuple(h for _n, h in d["holidays"]),
            worked=tuple(day for _n, day in d["worked"]),
        )
