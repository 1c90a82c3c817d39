"""What the checklists show on other apps' pages (anjian.lib.slots): the checklists that
apply to an enterprise, on its page. Added in ChecklistsConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from anjian.checklists.services import applicable_for


def applicable_checklists(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {"enterprise": enterprise, "applicable": applicable_for(enterprise)}
