"""Navigation by role: each entry appears only to those whose role holds its capability."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject
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
    """The navigation, built only where a template shows it (the page, not the panels a
    page renders into itself with the same request)."""
    return {"nav_items": SimpleLazyObject(lambda: _items(request))}


@functools.lru_cache(maxsize=16)
def _paths(urlconf: str | None, prefix: str) -> dict[str, str]:
    """Each entry's address under one URLconf and script prefix, reversed once."""
    return {name: reverse(name, urlconf) for name, _label, _capability in NAV}


def _items(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    paths = _paths(get_urlconf(), get_script_prefix())
    entries = [(paths[name], label) for name, label, capability in NAV if can(user, capability)]
    # The current section: the entry whose address is the longest start of the page's
    # (/field/visits/3/ is under "Visits", not under the field page at /field/).
    within = [
        url
        for url, _label in entries
        if request.path == url or (url != "/" and request.path.startswith(url))
    ]
    current = max(within, key=len) if within else None
    return [{"url": url, "label": label, "active": url == current} for url, label in entries]
