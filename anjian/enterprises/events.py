"""What the registry publishes (anjian.lib.events)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EnterpriseMoved:
    """An enterprise was moved to another grid (and so perhaps to another village, office
    or zone). Published inside the move's transaction: what follows the enterprise (its
    open hazards) moves with it at once, or the move fails."""

    enterprise_id: int
    from_grid_id: int
    grid_id: int
    village_id: int
    office_id: int
    zone_id: int
    by_id: int | None
