"""What a visit may carry out: the plans other apps make — a drawn enterprise of a double-
random draw today, a campaign's task tomorrow — registered by those apps from their
AppConfig.ready(). A visit stores the plan it carries out by content type and id
(Visit.purpose); field work asks the plan's app to check it and imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model


@dataclass(frozen=True)
class Purpose:
    """A kind of plan a visit carries out."""

    # The field a visit names it by (the API's VisitIn.draw_item, the field page's link).
    name: str
    # The kind of visit that carries it out.
    kind: str
    # (recorder, id, visit kind, enterprise id) → the plan; raises InvalidInput naming the
    # field when this recorder may not carry it out in such a visit.
    check: Callable[[Any, int, str, int], Model]
    # (recorder, the link's id as text) → the plan, if it is the recorder's to carry out now;
    # None leaves the field page an ordinary visit.
    offered: Callable[[Any, str], Any]


_PURPOSES: dict[str, Purpose] = {}


def register(purpose: Purpose) -> None:
    _PURPOSES[purpose.name] = purpose


def named(name: str) -> Purpose | None:
    return _PURPOSES.get(name)
