"""`{% applicable_checklists enterprise %}`: the checklists that apply, for the enterprise page.

A tag rather than a context variable, so the registry's view needs no change to show them.
"""

from __future__ import annotations

from typing import Any

from django import template

from anjian.checklists.services import applicable_for
from anjian.enterprises.models import Enterprise

register = template.Library()


@register.inclusion_tag("checklists/_applicable.html")
def applicable_checklists(enterprise: Enterprise) -> dict[str, Any]:
    return {"enterprise": enterprise, "applicable": applicable_for(enterprise)}


def _labels(choices: Any, codes: list[str]) -> str:
    known = dict(choices.choices)
    return "、".join(str(known.get(code, code)) for code in codes)


@register.filter
def sector_labels(codes: list[str]) -> str:
    from anjian.enterprises.models import Sector

    return _labels(Sector, codes)


@register.filter
def tag_labels(codes: list[str]) -> str:
    from anjian.enterprises.models import Tag

    return _labels(Tag, codes)
