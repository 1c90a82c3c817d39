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
    # Rectification notices: everyone reads those to enterprises they see. Only licensed
    # officers issue the order (责令限期整改指令书), an enforcement document (国办发〔2024〕
    # 54号); the zone safety office may also send the notice (整改通知书).
    "notices.view": frozenset(Role.values),
    "notices.issue_order": frozenset({Role.OFFICER}),
    "notices.issue_notice": frozenset({Role.OFFICER, Role.ZONE_ADMIN}),
    # Checklists are reference data everyone reads; the zone safety office drafts versions.
    "checklists.view": frozenset(Role.values),
    "checklists.manage": frozenset({Role.ZONE_ADMIN}),
    # 双随机: licensed staff draw and publish; leaders read the draws.
    "draws.view": frozenset({Role.ZONE_ADMIN, Role.OFFICER, Role.LEADER}),
    "draws.manage": frozenset({Role.ZONE_ADMIN, Role.OFFICER}),
    # Coverage: grid workers see their own grid's; the policy table is the zone's to set.
    "coverage.view": frozenset({Role.ZONE_ADMIN, Role.OFFICER, Role.LEADER, Role.GRID_WORKER}),
    "coverage.manage": frozenset({Role.ZONE_ADMIN}),
    # Visits: every role reads the visits to the enterprises it can see (its scope decides).
    "fieldwork.view": frozenset(Role.values),
    # The hazard ledger: every role reads the hazards of the enterprises it can see.
    "hazards.view": frozenset(Role.values),
    # Bringing old ledgers in (issue 4): the zone office, and officers within their office.
    "hazards.import": frozenset({Role.ZONE_ADMIN, Role.OFFICER}),
    # Who records each kind of visit (fieldwork.models.VisitKind). Grid workers and experts
    # may not record an administrative inspection (国办发〔2024〕54号): what they find goes to
    # the officer.
    "visits.patrol": frozenset({Role.GRID_WORKER}),
    "visits.inspection": frozenset({Role.OFFICER, Role.ZONE_ADMIN}),
    "visits.double_random": frozenset({Role.OFFICER, Role.ZONE_ADMIN}),
    "visits.expert_check": frozenset({Role.EXPERT}),
    "visits.self_inspection": frozenset({Role.ENTERPRISE}),
    "visits.liaison": frozenset({Role.LEADER}),
    # Who may go along on each kind of visit (its companions). Licensed staff carry out
    # inspections, where a third-party expert may assist on technical points; a patrol is the
    # grid workers'; an enterprise inspects itself with its own people; a leader's liaison
    # visit is accompanied by the zone's staff. Our reading, not a rule of RULES.md: confirm.
    "visits.patrol.join": frozenset({Role.GRID_WORKER}),
    "visits.inspection.join": frozenset({Role.OFFICER, Role.ZONE_ADMIN, Role.EXPERT}),
    "visits.double_random.join": frozenset({Role.OFFICER, Role.ZONE_ADMIN, Role.EXPERT}),
    "visits.expert_check.join": frozenset({Role.EXPERT}),
    "visits.self_inspection.join": frozenset({Role.ENTERPRISE}),
    "visits.liaison.join": frozenset({Role.LEADER, Role.OFFICER, Role.ZONE_ADMIN}),
    # The hazard workflow's government steps (RULES.md §3.1, §3.2): set a rectification,
    # accept a fix the enterprise did not find itself, confirm, review and write off a major
    # hazard, order production suspended. Not grid workers or third parties (国办发〔2024〕
    # 54号): they report, the officer closes.
    "hazards.supervise": frozenset({Role.OFFICER, Role.ZONE_ADMIN}),
    # Who hands in a fix's evidence besides the enterprise for its own: the officer on its
    # behalf, or the grid worker confirming the fix on site (which does not close it).
    "hazards.hand_in": frozenset({Role.OFFICER, Role.ZONE_ADMIN, Role.GRID_WORKER}),
    # The working-day calendar: read by those who set and supervise 工作日 deadlines (to see
    # which notice stands behind a date, and which years are still provisional); a year is
    # entered by the zone safety office when the State Council publishes it.
    "workdays.view": frozenset({Role.ZONE_ADMIN, Role.OFFICER, Role.LEADER}),
    "workdays.manage": frozenset({Role.ZONE_ADMIN}),
}


VISIT_CAPABILITIES = [c for c in CAPABILITIES if c.startswith("visits.") and c.count(".") == 1]
# The field page and notice issuing: whoever holds one of the finer capabilities.
CAPABILITIES["fieldwork.record"] = frozenset().union(*(CAPABILITIES[c] for c in VISIT_CAPABILITIES))
CAPABILITIES["notices.issue"] = (
    CAPABILITIES["notices.issue_order"] | CAPABILITIES["notices.issue_notice"]
)


def roles_with(capability: str) -> frozenset[str]:
    """The roles that hold a capability (for choosing people: companions, inspectors)."""
    return CAPABILITIES[capability]


def can(user: Any, capability: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in CAPABILITIES[capability]
