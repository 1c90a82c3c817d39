"""Calendar periods people report in: a month (2026-07), a quarter (2026Q3) or a year (2026).

One class for every capability that counts over time (coverage, statistics, the 16号令 forms,
the coming reports). Dates are the zone's calendar dates; a period's `end` is its last day.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from anjian.lib.errors import InvalidInput

# "2026", "2026Q3" / "2026-Q3", "2026-07" / "2026M07" / "2026-7".
PATTERN = re.compile(r"^(\d{4})(?:-?Q([1-4])|-?M?(0?[1-9]|1[0-2]))?$", re.IGNORECASE)
FIRST_YEAR, LAST_YEAR = 2000, 2100
QUARTER_LABELS = {
    1: pgettext_lazy("period", "%(year)d Q1"),
    2: pgettext_lazy("period", "%(year)d Q2"),
    3: pgettext_lazy("period", "%(year)d Q3"),
    4: pgettext_lazy("period", "%(year)d Q4"),
}


class PeriodError(InvalidInput):
    """A period written in no form we read, or outside the years we count."""


class Kind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


MONTHS = {Kind.MONTH: 1, Kind.QUARTER: 3, Kind.YEAR: 12}


@dataclass(frozen=True)
class Period:
    """A calendar month, quarter or year. Written (`code`) as 2026-07, 2026Q3 or 2026."""

    kind: Kind
    year: int
    # The first month (1–12): a quarter's first month, January for a year.
    month: int = 1

    @classmethod
    def parse(cls, text: str, field: str = "period") -> Period:
        match = PATTERN.match((text or "").strip())
        if match is None:
            raise PeriodError(_("Write the period as 2026, 2026Q3 or 2026-07."), field)
        year, quarter, month = int(match[1]), match[2], match[3]
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise PeriodError(
                _("Give a year from %(first)d to %(last)d.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
                field,
            )
        if quarter:
            return cls(Kind.QUARTER, year, 3 * int(quarter) - 2)
        if month:
            return cls(Kind.MONTH, year, int(month))
        return cls(Kind.YEAR, year)

    @classmethod
    def containing(cls, day: datetime.date, kind: Kind) -> Period:
        first = {Kind.MONTH: day.month, Kind.QUARTER: 3 * ((day.month - 1) // 3) + 1}
        return cls(kind, day.year, first.get(kind, 1))

    @classmethod
    def current(cls, kind: Kind, today: datetime.date | None = None) -> Period:
        return cls.containing(today or timezone.localdate(), kind)

    @property
    def months(self) -> int:
        return MONTHS[self.kind]

    @property
    def quarter(self) -> int | None:
        return (self.month - 1) // 3 + 1 if self.kind == Kind.QUARTER else None

    @property
    def code(self) -> str:
        if self.kind == Kind.QUARTER:
            return f"{self.year}Q{self.quarter}"
        if self.kind == Kind.MONTH:
            return f"{self.year}-{self.month:02d}"
        return str(self.year)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def end(self) -> datetime.date:
        return self.following.start - datetime.timedelta(days=1)

    @property
    def following(self) -> Period:
        after = self.month - 1 + self.months
        return Period(self.kind, self.year + after // 12, after % 12 + 1)

    @property
    def previous(self) -> Period:
        before = self.month - 1 - self.months
        return Period(self.kind, self.year + before // 12, before % 12 + 1)

    @property
    def label(self) -> str:
        """How a report names it: 2026年, 2026年第三季度, 2026年7月."""
        if self.kind == Kind.QUARTER:
            assert self.quarter is not None
            return str(QUARTER_LABELS[self.quarter]) % {"year": self.year}
        if self.kind == Kind.MONTH:
            return pgettext("period", "%(year)d/%(month)d") % {
                "year": self.year,
                "month": self.month,
            }
        return pgettext("period", "%(year)d") % {"year": self.year}

    def month_periods(self) -> Iterator[Period]:
        """The months the period is made of, in order."""
        for i in range(self.months):
            yield Period(Kind.MONTH, self.year, self.month + i)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return self.code
