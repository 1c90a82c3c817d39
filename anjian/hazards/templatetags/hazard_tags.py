"""`{% portal_hazards %}`: an enterprise user's open hazards and their deadlines, for the
home page."""

from __future__ import annotations

from typing import Any

from django import template

from anjian.hazards.panels import open_hazards

register = template.Library()


@register.inclusion_tag("hazards/_portal.html", takes_context=True)
def portal_hazards(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    enterprise_id = getattr(user, "enterprise_id", None)
    hazards = open_hazards(user, enterprise_id) if enterprise_id else []
    return {"hazards": hazards, "enterprise_id": enterprise_id}
