"""Checklist test helpers: the zone's own copies of seeded checklists, made through the real
write functions (create_checklist, publish_version)."""

from __future__ import annotations

from anjian.accounts.models import User
from anjian.checklists import services
from anjian.checklists.models import ChecklistVersion


def published(code: str) -> ChecklistVersion:
    """The published version of the zone's own checklist with this code."""
    return ChecklistVersion.objects.published().get(
        checklist__code=code, checklist__zone__isnull=False
    )


def platform(code: str) -> ChecklistVersion:
    """The published version of the platform's (seeded) checklist with this code."""
    return ChecklistVersion.objects.published().get(
        checklist__code=code, checklist__zone__isnull=True
    )


def adopt(code: str, by: User) -> ChecklistVersion:
    """The zone admin's zone's own copy of a seeded checklist, published as its v1."""
    draft = services.create_checklist(
        {"code": code, "title": f"本区{code}"}, by=by, from_version=platform(code)
    )
    return services.publish_version(draft, by=by)
