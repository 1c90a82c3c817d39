"""Write functions for the registry: every create and edit goes through here."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from anjian.accounts.models import User
from anjian.accounts.permissions import can
from anjian.audit.log import diff, record, record_many
from anjian.enterprises.events import EnterpriseMoved
from anjian.enterprises.models import REGISTRY_FIELDS, Enterprise, EnterpriseTag, SafetyManager
from anjian.lib.errors import Conflict, NotAllowed
from anjian.lib.events import publish
from anjian.regions.models import Grid


def get_enterprise_for(user: User, pk: int, *, write: bool = False) -> Enterprise:
    """Look up an enterprise the user can see; anything else is not found."""
    enterprise = Enterprise.objects.get_for(user, pk)
    if write and not can(user, "registry.edit"):
        raise NotAllowed("registry.edit")
    return enterprise


def snapshot(enterprise: Enterprise) -> dict[str, Any]:
    data = {f: getattr(enterprise, f) for f in REGISTRY_FIELDS}
    data["tags"] = sorted(enterprise.tags.values_list("tag", flat=True)) if enterprise.pk else []
    data["safety_managers"] = (
        [f"{m.name} {m.phone}".strip() for m in enterprise.safety_managers.all()]
        if enterprise.pk
        else []
    )
    return data


def _place(enterprise: Enterprise, grid: Grid) -> None:
    """Copy the grid's ancestors onto the row: the scope columns."""
    enterprise.grid = grid
    enterprise.village_id = grid.village_id
    enterprise.office_id = grid.office_id
    enterprise.zone_id = grid.zone_id


def _check_grid_in_scope(user: User, grid: Grid) -> None:
    if not Grid.objects.visible_to(user).filter(pk=grid.pk).exists():
        raise NotAllowed("grid")


def _save_children(enterprise: Enterprise, data: dict[str, Any]) -> None:
    if "tags" in data:
        enterprise.tags.all().delete()
        EnterpriseTag.objects.bulk_create(
            EnterpriseTag(enterprise=enterprise, tag=t) for t in sorted(set(data["tags"]))
        )
    if "safety_managers" in data:
        enterprise.safety_managers.all().delete()
        SafetyManager.objects.bulk_create(
            SafetyManager(enterprise=enterprise, name=m["name"], phone=m.get("phone", ""))
            for m in data["safety_managers"]
        )


@transaction.atomic
def create_enterprise(data: dict[str, Any], *, by: User) -> Enterprise:
    """Register an enterprise from validated data (EnterpriseForm.cleaned_data)."""
    if not can(by, "registry.edit"):
        raise NotAllowed("registry.edit")
    grid: Grid = data["grid"]
    _check_grid_in_scope(by, grid)
    enterprise = Enterprise(status_since=timezone.localdate())
    for field in REGISTRY_FIELDS:
        if field in data and field != "grid":
            setattr(enterprise, field, data[field])
    _place(enterprise, grid)
    enterprise.save()
    _save_children(enterprise, data)
    record(by, "enterprise.create", enterprise, changes=diff({}, snapshot(enterprise)))
    return enterprise


@transaction.atomic
def update_enterprise(
    enterprise: Enterprise, data: dict[str, Any], *, by: User, version: int | None
) -> Enterprise:
    """Apply an edit. `version` is what the editor read; a stale one raises Conflict."""
    locked = Enterprise.objects.visible_to(by).select_for_update().filter(pk=enterprise.pk).first()
    if locked is None:
        raise Http404("enterprise")
    if not can(by, "registry.edit"):
        raise NotAllowed("registry.edit")
    if version is not None and version != locked.version:
        raise Conflict(f"version {version} is stale; the current version is {locked.version}")
    before = snapshot(locked)
    for field in REGISTRY_FIELDS:
        if field in data and field != "grid":
            setattr(locked, field, data[field])
    from_grid_id = locked.grid_id
    if "grid" in data and data["grid"].pk != locked.grid_id:
        _check_grid_in_scope(by, data["grid"])
        _place(locked, data["grid"])
    after = {f: getattr(locked, f) for f in REGISTRY_FIELDS} | {
        "tags": sorted(set(data["tags"])) if "tags" in data else before["tags"],
        "safety_managers": (
            [f"{m['name']} {m.get('phone', '')}".strip() for m in data["safety_managers"]]
            if "safety_managers" in data
            else before["safety_managers"]
        ),
    }
    changes = diff(before, after)
    if not changes:
        # Saving an unchanged form is not an edit: no new version, no audit entry.
        return locked
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save()
    _save_children(locked, {k: data[k] for k in ("tags", "safety_managers") if k in changes})
    record(by, "enterprise.update", locked, changes=changes)
    if locked.grid_id != from_grid_id:
        publish(
            EnterpriseMoved(
                locked.pk,
                from_grid_id,
                locked.grid_id,
                locked.village_id,
                locked.office_id,
                locked.zone_id,
                by.pk,
            )
        )
    return locked


def bulk_create_enterprises(rows: list[dict[str, Any]], *, by: User) -> list[Enterprise]:
    """Register many enterprises at once (the importer); call inside a transaction.

    Same fields and audit trail as `create_enterprise`, with one INSERT per table instead of
    one per row.
    """
    if not can(by, "registry.import"):
        raise NotAllowed("registry.import")
    today = timezone.localdate()
    enterprises = []
    for data in rows:
        enterprise = Enterprise(status_since=today)
        for field in REGISTRY_FIELDS:
            if field in data and field != "grid":
                setattr(enterprise, field, data[field])
        _place(enterprise, data["grid"])
        enterprises.append(enterprise)
    Enterprise.objects.bulk_create(enterprises, batch_size=500)
    EnterpriseTag.objects.bulk_create(
        [
            EnterpriseTag(enterprise=e, tag=t)
            for e, d in zip(enterprises, rows, strict=True)
            for t in sorted(set(d.get("tags", [])))
        ],
        batch_size=500,
    )
    SafetyManager.objects.bulk_create(
        [
            SafetyManager(enterprise=e, name=m["name"], phone=m.get("phone", ""))
            for e, d in zip(enterprises, rows, strict=True)
            for m in d.get("safety_managers", [])
        ],
        batch_size=500,
    )
    record_many(
        by,
        "enterprise.create",
        [
            (
                e,
                diff(
                    {},
                    {
                        f: d.get(f)
                        for f in [*REGISTRY_FIELDS, "tags"]
                        if d.get(f) not in (None, "", [])
                    },
                ),
            )
            for e, d in zip(enterprises, rows, strict=True)
        ],
    )
    return enterprises
