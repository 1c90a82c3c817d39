"""The registry's figures: enterprises by risk colour, status and tenancy, in an area."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from anjian.enterprises.models import RiskClass, Status
from anjian.statistics.figures import Board, Grouped

Area = Mapping[str, Any]


def headline(board: Board, area: Area) -> None:
    board.count("enterprises.all", _("Enterprises"), "enterprises", dict(area))
    board.count(
        "enterprises.operating",
        _("Operating"),
        "enterprises",
        {**area, "status": Status.OPERATING},
    )
    board.count("enterprises.tenants", _("Tenants"), "enterprises", {**area, "tenant": "yes"})


def by_risk(board: Board, area: Area) -> Grouped:
    """Enterprises by risk colour (红橙黄蓝), red first; the unclassified are not a colour."""
    measures = {"all": (_("Enterprises"), dict(area))}
    return board.grouped(
        "enterprises.risk", "enterprises", "risk_class", measures, list(RiskClass.values)
    )


def by_status(board: Board, area: Area) -> Grouped:
    measures = {"all": (_("Enterprises"), dict(area))}
    return board.grouped(
        "enterprises.status", "enterprises", "status", measures, list(Status.values)
    )
