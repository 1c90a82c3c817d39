"""What the ledger shows on other apps' pages (anjian.lib.slots): an enterprise's hazards on
the enterprise page. Added in HazardsConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.http import HttpRequest

from anjian.hazards.models import Hazard

OPEN_LIMIT = 20
RECENT_LIMIT = 10


def open_hazards(user: Any, enterprise_id: int) -> list[Hazard]:
    """Open hazards by deadline: the overdue come first because their deadlines are the
    earliest; hazards waiting for a deadline come last."""
    qs = Hazard.objects.visible_to(user).open().filter(enterprise_id=enterprise_id)
    ordered = qs.order_by(F("deadline").asc(nulls_last=True), "-found_on", "-id")
    return list(ordered[:OPEN_LIMIT])


def enterprise_hazards(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    """An enterprise's open hazards and its most recently found ones."""
    recent = Hazard.objects.visible_to(request.user).filter(enterprise=enterprise)
    return {
        "open": open_hazards(request.user, enterprise.pk),
        "recent": list(recent.order_by("-found_on", "-id")[:RECENT_LIMIT]),
        "enterprise": enterprise,
    }
