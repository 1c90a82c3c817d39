"""What field work shows on other apps' pages (anjian.lib.slots): an enterprise's recent
visits on the enterprise page. Added in FieldworkConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest

from anjian.accounts.permissions import can
from anjian.fieldwork.models import Visit

RECENT_LIMIT = 10


def recent_visits(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    visits = (
        Visit.objects.visible_to(request.user)
        .filter(enterprise=enterprise)
        .select_related("recorded_by")
        .annotate(hazard_count=Count("hazards"))
        .order_by("-visited_on", "-id")[:RECENT_LIMIT]
    )
    return {
        "visits": list(visits),
        "enterprise": enterprise,
        "can_record": can(request.user, "fieldwork.record"),
    }
