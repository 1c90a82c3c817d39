"""Working-day arithmetic (工作日) on the calendar table, for every "N 个工作日" deadline.

    add_working_days(start, n) -> Deadline          the n-th working day after start
    working_days_between(a, b) -> WorkingDays       working days after a, up to and including b
    is_working_day(day) -> bool

Each reads the table once for the days it needs. To compute many, load a `Calendar` for a
range once (one query) and ask it. Nothing is cached between calls, so app servers never
disagree about a year an admin has just entered.

Days are counted as the law counts periods: the day things start is not counted (民法典
第二百零一条). A day in a year whose notice is not entered is counted on weekends alone, and
an answer that depends on such a day is provisional. (A notice may also name the last days of
the December before its year, as 2023's did 2022-12-31; until it is entered those days count
as their own year's notice has them, without the provisional mark.)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import CharField, DateField, Value

from anjian.workdays.models import DayKind, HolidayNotice, SpecialDay

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Deadline:
    """A day reached by counting working days; `provisional` when the count crossed a year
    whose notice is not entered yet."""

    day: datetime.date
    provisional: bool


@dataclass(frozen=True)
class WorkingDays:
    """How many working days; `provisional` as for Deadline."""

    count: int
    provisional: bool


@dataclass(frozen=True)
class Holiday:
    """A holiday as a notice gives it: its name and its first and last day off."""

    name: str
    first: datetime.date
    last: datetime.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


class OutsideCalendar(ValueError):
    """A Calendar was asked about a day outside the range it was loaded for."""


def group_holidays(off: Iterable[tuple[datetime.date, str]]) -> list[Holiday]:
    """The holidays that days off (date, name) make: runs of consecutive days, one name."""
    holidays: list[Holiday] = []
    for day, name in sorted(off):
        last = holidays[-1] if holidays else None
        if last is not None and last.name == name and last.last + ONE_DAY == day:
            holidays[-1] = Holiday(name, last.first, day)
        else:
            holidays.append(Holiday(name, day, day))
    return holidays


class Calendar:
    """The working days from `first` to `last`, in memory: weekdays that are not days off,
    and the weekend days worked instead (调休上班). `entered` are the years whose notices
    are in the table."""

    def __init__(
        self,
        first: datetime.date,
        last: datetime.date,
        *,
        entered: Iterable[int],
        off: Mapping[datetime.date, str],
        worked: Iterable[datetime.date],
    ) -> None:
        self.first, self.last = first, last
        self.entered = frozenset(entered)
        self.off = dict(off)
        self.worked = frozenset(worked)

    @classmethod
    def load(cls, first: datetime.date, last: datetime.date) -> Calendar:
        """The calendar from `first` to `last`, read in one query: the entered years and the
        special days are one UNION, so a call costs one round trip."""
        text = CharField()
        years = HolidayNotice.objects.filter(year__range=(first.year, last.year)).values_list(
            "year", Value(None, DateField()), Value("", text), Value("", text)
        )
        days = SpecialDay.objects.filter(day__range=(first, last)).values_list(
            "notice_id", "day", "kind", "name"
        )
        entered: set[int] = set()
        off: dict[datetime.date, str] = {}
        worked: set[datetime.date] = set()
        for year, day, kind, name in years.order_by().union(days.order_by(), all=True):
            if day is None:
                entered.add(year)
            elif kind == DayKind.WORKED:
                worked.add(day)
            else:
                off[day] = name
        return cls(first, last, entered=entered, off=off, worked=worked)

    def _check(self, day: datetime.date) -> None:
        if not self.first <= day <= self.last:
            raise OutsideCalendar(f"{day} is outside {self.first}..{self.last}")

    def is_working_day(self, day: datetime.date) -> bool:
        self._check(day)
        if day in self.worked:
            return True
        return day.weekday() < 5 and day not in self.off

    def is_provisional(self, first: datetime.date, last: datetime.date) -> bool:
        """Whether a year from `first` to `last` has no notice entered yet."""
        self._check(first)
        self._check(last)
        return any(y not in self.entered for y in range(first.year, last.year + 1))

    def add_working_days(self, start: datetime.date, n: int) -> Deadline:
        """The n-th working day after `start` (`start` itself not counted). n = 0: `start`
        if it is a working day, else the next working day."""
        if n < 0:
            raise ValueError("n must be 0 or more")
        day, judged_from = start, start
        if n == 0:
            while not self.is_working_day(day):
                day += ONE_DAY
        else:
            judged_from = start + ONE_DAY
            while n:
                day += ONE_DAY
                n -= self.is_working_day(day)
        return Deadline(day, self.is_provisional(judged_from, day))

    def working_days_between(self, a: datetime.date, b: datetime.date) -> WorkingDays:
        """How many working days after `a`, up to and including `b` (0 when b <= a)."""
        if b <= a:
            return WorkingDays(0, False)
        count, day = 0, a
        while day < b:
            day += ONE_DAY
            count += self.is_working_day(day)
        return WorkingDays(count, self.is_provisional(a + ONE_DAY, b))

    def holidays(self) -> list[Holiday]:
        """The holidays within the range (a holiday cut by its ends begins or ends there)."""
        return group_holidays(self.off.items())


def _reach(n: int) -> datetime.timedelta:
    """How far n working days can lie: a year has ~250 of 365 days, and the longest break
    (2020's 春节 with its extension) is ten days; the margin covers both many times over."""
    return datetime.timedelta(days=2 * n + 31)


def add_working_days(start: datetime.date, n: int) -> Deadline:
    """The n-th working day after `start`; see Calendar.add_working_days."""
    reach = _reach(n)
    while True:
        try:
            return Calendar.load(start, start + reach).add_working_days(start, n)
        except OutsideCalendar:
            reach *= 2


def working_days_between(a: datetime.date, b: datetime.date) -> WorkingDays:
    """How many working days after `a` up to and including `b`; see Calendar."""
    if b <= a:
        return WorkingDays(0, False)
    return Calendar.load(a, b).working_days_between(a, b)


def is_working_day(day: datetime.date) -> bool:
    return Calendar.load(day, day).is_working_day(day)
