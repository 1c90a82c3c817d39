"""What the hazard ledger publishes (anjian.lib.events); notifications and, later, escalation
rules and statistics listen. The ledger imports none of them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HazardStepTaken:
    """A step of a hazard's life was taken — registered, submitted, accepted, moved … —
    and written as HazardEvent `event_id` (published on commit to its listeners)."""

    event_id: int
    hazard_id: int
    action: str
