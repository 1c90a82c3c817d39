"""Hazard lists shown on other apps' pages: the enterprise portal's home and the
enterprise's own page."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import F

from anjian.enterprises.models import Enterprise
from anjian.hazards.models import Hazard

register = template.Library()

OPEN_LIMIT = 20
RECENT_LIMIT = 10


def _open(user: Any, enterprise_id: int) -> list[Hazard]:
    """Open hazards by deadline: the overdue come first because their deadlines are the
    earliest; hazards waiting for a deadline come last."""
    qs = Hazard.objects.visible_to(user).open().filter(enterprise_id=enterprise_id)
    ordered = qs.order_by(F("deadline").asc(nulls_last=True), "-found_on", "-id")
    return list(ordered[:OPEN_LIMIT])


@register.inclusion_tag("hazards/_portal.html", takes_context=True)
def portal_hazards(context: template.Context) -> dict[str, Any]:
    """An enterprise user's open hazards and their deadlines, for the home page."""
    user = context["request"].user
    enterprise_id = getattr(user, "enterprise_id", None)
    hazards = _open(user, enterprise_id) if enterprise_id else []
    return {"hazards": hazards, "enterprise_id": enterprise_id}


@register.inclusion_tag("hazards/_enterprise_hazards.html", takes_context=True)
def enterprise_hazards(context: template.Context, enterprise: Enterprise) -> dict[str, Any]:
    """An enterprise's open hazards and its most recently found ones."""
    user = context["request"].user
    recent = Hazard.objects.visible_to(user).filter(enterprise=enterprise)
    return {
        "open": _open(user, enterprise.pk),
        "recent": list(recent.order_by("-found_on", "-id")[:RECENT_LIMIT]),
        "enterprise": enterprise,
    }
