"""Each role's home: which figures it shows, for whom and where, all from the statistics layer.

A home is built for one person: the figures are counted over what they may see (every list is
scoped), and a zone admin or leader may narrow it to one office (`area`). The page and
GET /api/v1/dashboard read the same Home, so what the API answers is what the page shows.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import Role, User
from anjian.enforcement.models import Notice
from anjian.enterprises.models import RiskClass
from anjian.fieldwork.models import VisitKind
from anjian.hazards.models import Hazard, Level
from anjian.hazards.panels import open_hazards
from anjian.lib.geo import Drawing, draw
from anjian.lib.periods import Kind, Period
from anjian.regions.models import Grid, Region, RegionLevel
from anjian.statistics import coverage, hazards, registry, visits
from anjian.statistics.figures import Board, Figure, Grouped

# A zone with more grids than this shows its grid table one office at a time.
GRID_TABLE_LIMIT = 60
# Risk colours from the most to the least severe (四色: 红橙黄蓝).
RISK_ORDER = [RiskClass.RED, RiskClass.ORANGE, RiskClass.YELLOW, RiskClass.BLUE]
MAJORS_SHOWN = 10
NOTICES_SHOWN = 5

# Which kind of home each role reads.
AREA_ROLES = {Role.ZONE_ADMIN, Role.LEADER, Role.OFFICER}


@dataclass
class Headline:
    """One period's figures beside the period before it."""

    period: Period
    # (the figure's name without its period, this period's figure, the previous one's)
    figures: list[tuple[str, Figure, Figure]]


@dataclass
class GridShape:
    """A grid on the four-colour map: its boundary and the colour of its riskiest
    enterprise, linking to those enterprises."""

    id: int
    name: str
    path: str
    colour: str
    count: Figure | None


@dataclass
class Home:
    user: User
    role: str
    period: Period
    area: dict[str, Any]
    board: Board
    headlines: list[Headline] = field(default_factory=list)
    now: list[Figure] = field(default_factory=list)
    queue: list[Figure] = field(default_factory=list)
    offices: Grouped | None = None
    office_names: dict[int, str] = field(default_factory=dict)
    grids: Grouped | None = None
    grid_names: dict[int, str] = field(default_factory=dict)
    grid_coverage: dict[int, Figure] = field(default_factory=dict)
    office_coverage: dict[int, Figure] = field(default_factory=dict)
    categories: Grouped | None = None
    trend: list[tuple[Period, Figure, Figure]] = field(default_factory=list)
    risk: Grouped | None = None
    visit_kinds: Grouped | None = None
    majors: list[Hazard] = field(default_factory=list)
    open_hazards: list[Hazard] = field(default_factory=list)
    map: list[GridShape] = field(default_factory=list)
    map_view_box: str = ""
    map_counts: Grouped | None = None
    mine: list[Figure] = field(default_factory=list)
    year_figures: list[Figure] = field(default_factory=list)
    registry: list[Figure] = field(default_factory=list)
    average: Figure | None = None
    notices: list[Notice] = field(default_factory=list)

    def figures(self) -> list[Figure]:
        """Every figure the home shows (the API's answer)."""
        return self.board.all()

    def rows(self, group: Grouped | None, names: dict[int, str]) -> Iterator[dict[str, Any]]:
        """A per-area table's rows: name, the counts, the two rates, coverage."""
        if group is None:
            return
        cover = self.office_coverage if group.by == "office" else self.grid_coverage
        for value, row in group.figures.items():
            yield {
                "id": value,
                "name": names.get(value, str(value)),
                "figures": row,
                "closed_rate": self.board.find(f"{group.prefix}.{value}.closed_rate"),
                "overdue_rate": self.board.find(f"{group.prefix}.{value}.overdue_rate"),
                "coverage": cover.get(value),
                "coverage_met": self.board.figures.get(f"coverage.{group.by}.{value}.met"),
                "coverage_required": self.board.figures.get(
                    f"coverage.{group.by}.{value}.required"
                ),
            }

    @property
    def headline_rows(self) -> list[dict[str, Any]]:
        """The headline table: one row per figure, one cell (figure, previous) per period;
        a figure one period lacks (coverage, asked of the main period) shows as empty."""
        rows: dict[str, dict[str, Any]] = {}
        for i, h in enumerate(self.headlines):
            for name, current, previous in h.figures:
                row = rows.setdefault(
                    name, {"label": current.label, "cells": [None] * len(self.headlines)}
                )
                row["cells"][i] = (current, previous)
        return list(rows.values())

    @property
    def office_rows(self) -> list[dict[str, Any]]:
        return list(self.rows(self.offices, self.office_names))

    @property
    def grid_rows(self) -> list[dict[str, Any]]:
        return list(self.rows(self.grids, self.grid_names))

    @property
    def kind_labels(self) -> dict[str, str]:
        return {k.value: str(k.label) for k in VisitKind}

    @property
    def risk_labels(self) -> dict[str, str]:
        return {k.value: str(k.label) for k in RiskClass}

    def chart_data(self) -> dict[str, Any]:
        """The charts' data for the page's script (the tables below each chart hold the same)."""
        data: dict[str, Any] = {
            "trend": {
                "months": [m.label for m, _f, _r in self.trend],
                "found": [f.value for _m, f, _r in self.trend],
                "rectified": [r.value for _m, _f, r in self.trend],
                "links": [[f.page, r.page] for _m, f, r in self.trend],
            },
        }
        if self.categories is not None:
            types = list(self.categories.measures)
            data["categories"] = {
                "types": [str(self.categories.measures[t][0]) for t in types],
                "offices": [self.office_names.get(o, str(o)) for o in self.categories.figures],
                "values": [
                    [row[t].value for t in types] for row in self.categories.figures.values()
                ],
            }
        if self.risk is not None:
            data["risk"] = [
                {
                    "name": str(RiskClass(v).label),
                    "value": row["all"].value,
                    "colour": v,
                    "link": row["all"].page,
                }
                for v, row in self.risk.figures.items()
            ]
        return data


def home_for(user: User, period: Period, office: Region | None = None) -> Home:
    """The home of `user` for `period` (its headline also shows the month and quarter this
    is, on the page), narrowed to `office` when given (zone admin and leader)."""
    area: dict[str, Any] = {"office": office.pk} if office is not None else {}
    home = Home(user, user.role, period, area, Board(user))
    if user.role in AREA_ROLES:
        _area_home(home)
    elif user.role == Role.GRID_WORKER:
        _grid_worker_home(home)
    elif user.role == Role.ENTERPRISE:
        _enterprise_home(home)
    else:
        _referred_home(home)
    home.board.evaluate()
    _colour_map(home)
    return home


def page_periods(period: Period, today: datetime.date | None = None) -> list[Period]:
    """The periods a home page heads with: this month, this quarter and `period` (a year)."""
    today = today or timezone.localdate()
    current = [Period.current(Kind.MONTH, today), Period.current(Kind.QUARTER, today)]
    return [*(p for p in current if p != period), period]


def _headline(home: Home, period: Period, keys: list[str], *, cover: bool = True) -> None:
    board, area = home.board, home.area
    for p in (period, period.previous):
        hazards.headline(board, p, area, f".{p.code}")
        visits.headline(board, p, area, f".{p.code}")
        if cover:
            coverage.headline(board, p, area, f".{p.code}")
    home.headlines.append(
        Headline(
            period,
            [
                (
                    k,
                    board.figures[f"{k}.{period.code}"],
                    board.figures[f"{k}.{period.previous.code}"],
                )
                for k in keys
            ],
        )
    )


HAZARD_HEADLINE = [
    "hazards.found",
    "hazards.found_rectified",
    "hazards.rectification_rate",
    "hazards.major_found",
    "hazards.rectified",
    "hazards.rectified_on_time",
    "hazards.on_time_rate",
]
VISIT_HEADLINE = [
    "visits.all",
    "visits.checks",
    "visits.patrols",
    "visits.inspections",
    "visits.not_checked",
]
# What hazards.now and registry.headline declare, as cards.
HAZARDS_NOW = [
    "hazards.open",
    "hazards.overdue",
    "hazards.overdue_rate",
    "hazards.major_open",
    "hazards.awaiting",
]
REGISTRY_NOW = ["enterprises.all", "enterprises.operating", "enterprises.tenants"]
COVERAGE_HEADLINE = ["coverage.required", "coverage.met", "coverage.unvisited", "coverage.rate"]
AREA_HEADLINE = [*HAZARD_HEADLINE, *VISIT_HEADLINE, *COVERAGE_HEADLINE]


def _area_home(home: Home) -> None:
    board, area, period, user = home.board, home.area, home.period, home.user
    for p in page_periods(period):
        # Coverage is asked of the year (or the period chosen) alone: each period's needs
        # its own pass over every enterprise's visits.
        keys = AREA_HEADLINE if p == period else [*HAZARD_HEADLINE, *VISIT_HEADLINE]
        _headline(home, p, keys, cover=p == period)
    home.average = hazards.average_days_to_close(board, period, area, f".{period.code}")
    hazards.now(board, area)
    home.now = [board.figures[k] for k in HAZARDS_NOW]
    offices = Region.objects.visible_to(user).filter(level=RegionLevel.OFFICE)
    if "office" in area:
        offices = offices.filter(pk=area["office"])
    home.office_names = dict(offices.order_by("code", "id").values_list("id", "name"))
    if len(home.office_names) > 1:
        home.offices = hazards.by_area(board, "office", period, area, list(home.office_names))
        home.categories = hazards.by_category_and_office(board, period, area)
    grids = Grid.objects.visible_to(user)
    if "office" in area:
        grids = grids.filter(office_id=area["office"])
    if grids.count() <= GRID_TABLE_LIMIT:
        home.grid_names = dict(grids.order_by("path").values_list("id", "name"))
        home.grids = hazards.by_area(board, "grid", period, area, list(home.grid_names))
    _area_rates(home)
    _coverage_by_area(home)
    home.trend = hazards.trend(board, _trend_months(period), area)
    home.risk = registry.by_risk(board, area)
    registry.headline(board, area)
    home.registry = [board.figures[k] for k in REGISTRY_NOW]
    home.visit_kinds = visits.by_kind(board, period, area)
    home.majors = _open_majors(user, area)
    _grid_map(home)
    if user.role == Role.OFFICER:
        _officer_queue(home)


def _area_rates(home: Home) -> None:
    """Closure and overdue rates of each row of the per-area tables (after the counts)."""
    for group in (home.offices, home.grids):
        if group is None:
            continue
        # The rows are known once counted: rates are declared for the values asked for.
        for value in group.values:
            prefix = f"{group.prefix}.{value}"
            home.board.rate(
                f"{prefix}.closed_rate", _("Closure rate"), f"{prefix}.closed", f"{prefix}.found"
            )
            home.board.rate(
                f"{prefix}.overdue_rate", _("Overdue rate"), f"{prefix}.overdue", f"{prefix}.found"
            )


def _coverage_by_area(home: Home) -> None:
    """Coverage of each office and grid shown (one query each way)."""
    if home.grids is not None:
        home.grid_coverage = coverage.by_area(home.board, "grid", home.period, home.area)
    if home.offices is not None:
        home.office_coverage = coverage.by_area(home.board, "office", home.period, home.area)


def _trend_months(period: Period) -> list[Period]:
    """The months of the trend: the period's year up to this month (the year's twelve once
    it is over)."""
    today = timezone.localdate()
    year = Period(Kind.YEAR, period.year)
    return [m for m in year.month_periods() if m.start <= today]


def _open_majors(user: User, area: dict[str, Any]) -> list[Hazard]:
    qs = Hazard.objects.visible_to(user).open().filter(level=Level.MAJOR)
    if "office" in area:
        qs = qs.filter(office_id=area["office"])
    return list(
        qs.select_related("enterprise").order_by("deadline", "found_on", "id")[:MAJORS_SHOWN]
    )


def _grid_map(home: Home) -> None:
    """The grids with a boundary, drawn as SVG. Their enterprises are counted by grid and
    risk colour in one grouped query; `_colour_map` then colours each grid by its riskiest
    class (grey with none classified), linking to those enterprises."""
    grids = Grid.objects.visible_to(home.user).exclude(boundary="")
    if "office" in home.area:
        grids = grids.filter(office_id=home.area["office"])
    shapes = list(grids.order_by("path").values_list("id", "name", "boundary"))
    if not shapes:
        return
    # Counted in the area drawn (an office's grids when narrowed to one), as every grouping.
    measures = {c.value: (c.label, {**home.area, "risk_class": c.value}) for c in RISK_ORDER}
    home.map_counts = home.board.grouped("map", "enterprises", "grid", measures)
    drawing = _drawn(tuple(boundary for _id, _name, boundary in shapes))
    home.map_view_box = drawing.view_box
    for (grid_id, name, _boundary), path in zip(shapes, drawing.paths, strict=True):
        home.map.append(GridShape(grid_id, name, path, "", None))


@functools.lru_cache(maxsize=64)
def _drawn(boundaries: tuple[str, ...]) -> Drawing:
    """The boundaries projected once for all who read them (a city's ~1,000 grids take
    ~10 ms to parse and project)."""
    return draw(json.loads(b) for b in boundaries)


def _colour_map(home: Home) -> None:
    """After counting: each grid's riskiest colour and its count; the other colours' figures
    are dropped (the map shows one per grid)."""
    group = home.map_counts
    if group is None:
        return
    counted, group.figures = group.figures, {}
    for shape in home.map:
        counts = counted.get(shape.id, {})
        worst = next((c for c in RISK_ORDER if counts.get(c) and counts[c].value), None)
        if worst is not None:
            shape.colour, shape.count = worst.value, counts[worst]
            group.figures[shape.id] = {worst.value: counts[worst]}


def _officer_queue(home: Home) -> None:
    """What waits for the officer: fixes to accept, extension requests, major hazards to
    confirm or to review for write-off, rectification notices issued and not yet served."""
    board = home.board
    home.queue = [
        board.count(
            "queue.awaiting", _("Fixes awaiting acceptance"), "hazards", {"state": "submitted"}
        ),
        board.count(
            "queue.extensions",
            _("Extension requests"),
            "hazards",
            {"state": "open", "extension": True},
        ),
        board.count(
            "queue.majors_reported", _("Major hazards to confirm"), "hazards", {"state": "reported"}
        ),
        board.count(
            "queue.majors_review",
            _("Major hazards to review for write-off"),
            "hazards",
            {"state": "under_review"},
        ),
        board.count(
            "queue.notices_to_serve",
            _("Rectification notices to serve"),
            "notices",
            {"state": "unserved"},
        ),
    ]


def _grid_worker_home(home: Home) -> None:
    """Phone first: what to visit, what to re-check, what is overdue, and my month so far."""
    board = home.board
    today = timezone.localdate()
    month = Period.current(Kind.MONTH, today)
    quarter = Period.current(Kind.QUARTER, today)
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    home.mine = [
        board.count(
            "coverage.due.quarter",
            _("Enterprises still to check this quarter"),
            "coverage",
            {"period": quarter.code, "state": "due"},
        ),
        board.count(
            "coverage.unvisited.month",
            _("Not yet visited this month"),
            "coverage",
            {"period": month.code, "state": "unvisited"},
        ),
        board.count(
            "hazards.recheck",
            _("Hazards to re-check by Sunday"),
            "hazards",
            {"state": "rectifying", "deadline_to": week_end},
        ),
        board.count("hazards.overdue", _("Overdue in my grids"), "hazards", {"state": "overdue"}),
        board.count(
            "visits.mine.patrol",
            _("My patrols this month"),
            "visits",
            {"kind": VisitKind.PATROL, "mine": True, **visits.visited_in(month)},
        ),
        board.count(
            "coverage.required.month",
            _("Enterprises to check this month"),
            "coverage",
            {"period": month.code, "state": "required"},
        ),
    ]
    code = home.period.code
    hazards.headline(board, home.period, {}, f".{code}")
    home.year_figures = [board.figures[f"{k}.{code}"] for k in HAZARD_HEADLINE]


def _enterprise_home(home: Home) -> None:
    """The enterprise's own: its open hazards and deadlines, what officers sent, its
    self-inspections — nothing about anyone else."""
    board = home.board
    today = timezone.localdate()
    month = Period.current(Kind.MONTH, today)
    hazards.now(board, {})
    home.now = [board.figures[k] for k in HAZARDS_NOW]
    home.mine = [
        board.count(
            "visits.self.month",
            _("Self-inspections this month"),
            "visits",
            {"kind": VisitKind.SELF_INSPECTION, **visits.visited_in(month)},
        ),
        board.count(
            "visits.government.period",
            _("Government checks"),
            "visits",
            {"outcome": "checks", **visits.visited_in(home.period)},
        ),
    ]
    _headline(home, home.period, [*HAZARD_HEADLINE, *VISIT_HEADLINE], cover=False)
    home.notices = list(
        Notice.objects.visible_to(home.user).order_by("-issued_on", "-id")[:NOTICES_SHOWN]
    )
    enterprise_id = home.user.enterprise_id
    home.open_hazards = open_hazards(home.user, enterprise_id) if enterprise_id else []


def _referred_home(home: Home) -> None:
    """An expert's or a department's: the enterprises engaged or supervised, and their
    hazards."""
    board = home.board
    registry.headline(board, {})
    hazards.now(board, {})
    home.now = [board.figures[k] for k in (*REGISTRY_NOW, *HAZARDS_NOW)]
    _headline(home, home.period, [*HAZARD_HEADLINE, *VISIT_HEADLINE], cover=False)
