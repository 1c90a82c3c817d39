"""Navigation by role: each entry appears only to those whose role holds its capability."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.accounts.permissions import can

# (url name, label, capability)
NAV = [
    ("home", _("Overview"), "registry.view"),
    ("enterprises:list", _("Enterprises"), "registry.view"),
    ("enterprises:import", _("Import"), "registry.import"),
    ("hazards:ledger", _("Hazards"), "hazards.view"),
    ("statistics:hazards", _("Statistics"), "hazards.view"),
    ("fieldwork:visits", _("Visits"), "fieldwork.view"),
    ("fieldwork:field", _("Field visit"), "fieldwork.record"),
    ("checklists:list", _("Checklists"), "checklists.view"),
    ("notices:list", _("Notices"), "notices.view"),
    ("draws:list", _("Double-random draws"), "draws.view"),
    ("coverage:page", _("Coverage"), "coverage.view"),
    ("regions:tree", _("Regions and grids"), "regions.view"),
    ("accounts:people", _("People"), "people.manage"),
    ("workdays:years", _("Working-day calendar"), "workdays.manage"),
    ("audit:list", _("Audit trail"), "audit.view"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    entries = [(reverse(name), label) for name, label, capability in NAV if can(user, capability)]
    # The current section: the entry whose address is the longest start of the page's
    # (/field/visits/3/ is under "Visits", not under the field page at /field/).
    within = [
        url
        for url, _label in entries
        if request.path == url or (url != "/" and request.path.startswith(url))
    ]
    current = max(within, key=len) if within else None
    items = [{"url": url, "label": label, "active": url == current} for url, label in entries]
    return {"nav_items": items}
