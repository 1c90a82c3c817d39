"""The ledger broken down: the hazards found in a period, split by one of their fields (office,
grid, level, source, type, the kind of finder, sector, person) or by month or week, each row
with how many of them are rectified, open and overdue now — the pivot an officer used to build
by exporting the ledger to Excel, every number a link to the rows it counts.

The figures are the statistics layer's (a Board), so each one is its list's count.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import Role, User
from anjian.enterprises.models import Sector
from anjian.hazards.models import Finder, HazardType, Level, Source
from anjian.lib.forms import with_all
from anjian.lib.periods import Kind, Period, PeriodError
from anjian.regions.models import Grid, Region, RegionLevel
from anjian.statistics.figures import Board, Figure, Measures, percent

# What a breakdown may split by: the ledger filter of that name, or a calendar.
BY = {
    "office": _("Office"),
    "grid": _("Grid"),
    "level": _("Level"),
    "source": _("Source"),
    "hazard_type": _("Hazard type"),
    "finder": _("Kind of finder"),
    "sector": _("Sector"),
    "found_by": _("Person"),
    "month": _("Month"),
    "week": _("Week"),
}
CALENDARS = ("month", "week")
CHOICE_LABELS: dict[str, Any] = {
    "level": Level,
    "source": Source,
    "hazard_type": HazardType,
    "finder": Finder,
    "sector": Sector,
}
MEASURE_NAMES = ("found", "closed", "open", "overdue")


class Span(Protocol):
    """Days from `start` to `end`: a period, or a week."""

    @property
    def start(self) -> datetime.date: ...

    @property
    def end(self) -> datetime.date: ...


def measures(span: Span, area: Mapping[str, Any]) -> Measures:
    """Found in the span (void left out), and of them: rectified, open and overdue now."""
    found = {**area, "found_from": span.start, "found_to": span.end}
    return {
        "found": (_("Found"), {**found, "state": "valid"}),
        "closed": (_("Of them rectified"), {**found, "state": "closed"}),
        "open": (_("Of them open"), {**found, "state": "open"}),
        "overdue": (_("Of them overdue"), {**found, "state": "overdue"}),
    }


@dataclass
class Row:
    value: Any
    label: str
    figures: dict[str, Figure]
    rate: Figure

    def all(self) -> list[Figure]:
        return [*self.figures.values(), self.rate]


@dataclass
class Breakdown:
    period: Period
    by: str
    office: Region | None
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None

    @property
    def by_label(self) -> str:
        return str(BY[self.by])

    def figures(self) -> list[Figure]:
        out = [f for r in self.rows for f in r.all()]
        return out + (self.total.all() if self.total else [])


def focus_office(user: User, office_id: int | None) -> Region | None:
    """The office a breakdown (or a home) is narrowed to, None for the whole scope; an office
    the user cannot see is not found."""
    if office_id is None:
        return None
    office = Region.objects.visible_to(user).filter(level=RegionLevel.OFFICE, pk=office_id).first()
    if office is None:
        raise Http404("office")
    return office


def breakdown(user: User, period: Period, by: str, office: Region | None = None) -> Breakdown:
    """The hazards `user` sees, found in `period` (in `office` when given), split `by`."""
    assert by in BY, by
    area: dict[str, Any] = {"office": office.pk} if office is not None else {}
    board = Board(user)
    result = Breakdown(period, by, office)
    keyed: list[tuple[Any, str, dict[str, Figure]]] = []
    if by in CALENDARS:
        for code, label, part in _calendar(period, by):
            figures = {
                m: board.count(f"breakdown.{code}.{m}", m_label, "hazards", params)
                for m, (m_label, params) in measures(part, area).items()
            }
            keyed.append((code, label, figures))
    else:
        group = board.grouped("breakdown", "hazards", by, measures(period, area))
    total = {
        m: board.count(f"breakdown.total.{m}", m_label, "hazards", params)
        for m, (m_label, params) in measures(period, area).items()
    }
    board.evaluate()
    if by not in CALENDARS:
        names = _names(by, list(group.figures), user)
        keyed = [(v, names.get(v, str(v)), row) for v, row in group.figures.items()]
        keyed.sort(key=lambda r: (-(r[2]["found"].value or 0), r[1]))
    result.rows = [_row(value, label, figures) for value, label, figures in keyed]
    result.total = _row("total", str(_("In all")), total)
    return result


def _row(value: Any, label: str, figures: dict[str, Figure]) -> Row:
    found, closed = figures["found"], figures["closed"]
    rate = Figure(
        f"{found.key.rsplit('.', 1)[0]}.rate",
        _("Rectification rate"),
        value=percent(closed, found),
        of=(closed.key, found.key),
        unit="%",
    )
    return Row(value, label, figures, rate)


def _calendar(period: Period, by: str) -> list[tuple[str, str, Span]]:
    """The months of the period, or its weeks (Monday to Sunday, cut at the period's ends)."""
    if by == "month":
        months: list[tuple[str, str, Span]] = [
            (m.code, str(m.label), m) for m in period.month_periods()
        ]
        return months
    out: list[tuple[str, str, Span]] = []
    start = period.start
    while start <= period.end:
        end = min(start + datetime.timedelta(days=6 - start.weekday()), period.end)
        week = Week(start, end)
        out.append((week.code, week.label, week))
        start = end + datetime.timedelta(days=1)
    return out


@dataclass(frozen=True)
class Week:
    """Days of one ISO week (Monday to Sunday), perhaps cut short by the period's ends."""

    start: datetime.date
    end: datetime.date

    @property
    def code(self) -> str:
        year, week, _day = self.start.isocalendar()
        return f"{year}W{week:02d}"

    @property
    def label(self) -> str:
        _year, week, _day = self.start.isocalendar()
        return str(_("Week %(n)d (%(start)s–%(end)s)")) % {
            "n": week,
            "start": f"{self.start:%m-%d}",
            "end": f"{self.end:%m-%d}",
        }


def _names(by: str, values: list[Any], user: User) -> dict[Any, str]:
    if by in CHOICE_LABELS:
        return {c.value: str(c.label) for c in CHOICE_LABELS[by]}
    if by == "office":
        return dict(Region.objects.filter(pk__in=values).values_list("id", "name"))
    if by == "grid":
        return dict(Grid.objects.filter(pk__in=values).values_list("id", "name"))
    if by == "found_by":
        people = User.objects.filter(pk__in=values).only("id", "username", "display_name")
        return {p.pk: p.display_name or p.username for p in people}
    return {}


def default_by(user: User) -> str:
    """A zone's officers compare offices; an office's, grids; everyone else, months."""
    if user.role in (Role.ZONE_ADMIN, Role.LEADER):
        return "office"
    if user.role == Role.OFFICER:
        return "grid"
    return "month"


class BreakdownForm(forms.Form):
    """What a breakdown is asked for: a period, a split and, for a zone's people, an office."""

    period = forms.CharField(
        label=_("period"),
        required=False,
        max_length=10,
        help_text=_("2026, 2026Q3 or 2026-07"),
        widget=forms.TextInput(attrs={"placeholder": "2026Q3", "size": 8}),
    )
    by = forms.ChoiceField(label=_("by"), required=False, choices=list(BY.items()))
    office = forms.TypedChoiceField(label=_("office"), required=False, coerce=int)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        offices = Region.objects.visible_to(user).filter(level=RegionLevel.OFFICE)
        field = self.fields["office"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = with_all(offices.order_by("code", "id").values_list("id", "name"))
        if len(field.choices) <= 2:
            del self.fields["office"]  # one office or none: nothing to choose

    def clean_period(self) -> Period:
        text = self.cleaned_data.get("period") or ""
        try:
            return Period.parse(text) if text else Period.current(Kind.YEAR)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def asked(self) -> tuple[Period, str, Region | None]:
        d = self.cleaned_data
        office_id = d.get("office")
        office = focus_office(self.user, office_id) if office_id not in (None, "") else None
        return d["period"], d.get("by") or default_by(self.user), office
