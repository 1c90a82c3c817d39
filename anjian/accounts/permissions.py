"""What each role may do, as one table. Where it may do it is `accounts.scope`'s business."""

from __future__ import annotations

from typing import Any

from anjian.accounts.roles import Role

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
    # Everyone sees their own background jobs; the zone safety office sees the zone's.
    "jobs.oversee": frozenset({Role.ZONE_ADMIN}),
    "people.manage": frozenset({Role.ZONE_ADMIN}),
    # Rectification notices: everyone reads those to enterprises they see; officers (and the
    # zone office, for 整改通知书) issue them — enforcement.notices.ISSUERS says which type.
    "notices.view": frozenset(Role.values),
    "notices.issue": frozenset({Role.OFFICER, Role.ZONE_ADMIN}),
    # Checklists are reference data everyone reads; the zone safety office drafts versions.
    "checklists.view": frozenset(Role.values),
    "checklists.manage": frozenset({Role.ZONE_ADMIN}),
    # 双随机: licensed staff draw and publish; leaders read the draws.
    "draws.view": frozenset({Role.ZONE_ADMIN, Role.OFFICER, Role.LEADER}),
    "draws.manage": frozenset({Role.ZONE_ADMIN, Role.OFFICER}),
    # Coverage: grid workers see their own grid's; the policy table is the zone's to set.
    "coverage.view": frozenset({Role.ZONE_ADMIN, Role.OFFICER, Role.LEADER, Role.GRID_WORKER}),
    "coverage.manage": frozenset({Role.ZONE_ADMIN}),
    # The hazard ledger: every role reads the hazards of the enterprises it can see.
    "hazards.view": frozenset(Role.values),
    # Bringing old ledgers in (issue 4): the zone office, and officers within their office.
    "hazards.import": frozenset({Role.ZONE_ADMIN, Role.OFFICER}),
    # The field page: the roles that have a kind of visit of their own (fieldwork.services).
    "fieldwork.record": frozenset(
        {Role.GRID_WORKER, Role.OFFICER, Role.ZONE_ADMIN, Role.EXPERT, Role.ENTERPRISE, Role.LEADER}
    ),
    # The working-day calendar: read by those who set and supervise 工作日 deadlines (to see
    # which notice stands behind a date, and which years are still provisional); a year is
    # entered by the zone safety office when the State Council publishes it.
    "workdays.view": frozenset({Role.ZONE_ADMIN, Role.OFFICER, Role.LEADER}),
    "workdays.manage": frozenset({Role.ZONE_ADMIN}),
}


def can(user: Any, capability: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in CAPABILITIES[capability]
