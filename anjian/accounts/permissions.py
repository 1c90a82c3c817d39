"""What each role may do, as one table. Where it may do it is `accounts.scope`'s business."""

from __future__ import annotations

from typing import Any

from anjian.accounts.models import Role

# capability -> roles that hold it
CAPABILITIES: dict[str, frozenset[str]] = {
    "registry.view": frozenset(Role.values),
    # 底数摸排: grid workers keep their grid's registry current alongside the office.
    "registry.edit": frozenset({Role.ZONE_ADMIN, Role.OFFICER, Role.GRID_WORKER}),
    "registry.import": frozenset({Role.ZONE_ADMIN, Role.OFFICER}),
    "registry.status": frozenset({Role.ZONE_ADMIN, Role.OFFICER}),
    "regions.view": frozenset(Role.values),
    # Offices, villages, grids and who serves on them: the zone safety office's job.
    "regions.manage": frozenset({Role.ZONE_ADMIN}),
    "audit.view": frozenset({Role.ZONE_ADMIN}),
    "people.manage": frozenset({Role.ZONE_ADMIN}),
}


def can(user: Any, capability: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in CAPABILITIES[capability]
