"""Visits shown on other apps' pages: an enterprise's recent visits."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count

from anjian.accounts.permissions import can
from anjian.enterprises.models import Enterprise
from anjian.fieldwork.models import Visit

register = template.Library()

RECENT_LIMIT = 10


@register.inclusion_tag("fieldwork/_recent_visits.html", takes_context=True)
def recent_visits(context: template.Context, enterprise: Enterprise) -> dict[str, Any]:
    user = context["request"].user
    visits = (
        Visit.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("recorded_by")
        .annotate(hazard_count=Count("hazards"))
        .order_by("-visited_on", "-id")[:RECENT_LIMIT]
    )
    return {
        "visits": list(visits),
        "enterprise": enterprise,
        "can_record": can(user, "fieldwork.record"),
    }
