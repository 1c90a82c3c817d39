"""What the ledger does when others publish: an enterprise that moves takes its open
hazards along. Connected in HazardsConfig.ready()."""

from __future__ import annotations

from anjian.accounts.models import User
from anjian.audit.log import record_rows
from anjian.enterprises.events import EnterpriseMoved
from anjian.hazards.models import Hazard, HazardEvent
from anjian.lib.events import listen
from anjian.regions.models import Grid


@listen(EnterpriseMoved, at_once=True)
def open_hazards_follow(moved: EnterpriseMoved) -> int:
    """Move the enterprise's open hazards to its new place, each with a "move" event.

    Who owns an open hazard is whoever now has the enterprise: the new grid worker must see
    it and re-check the fix, the new office accept it. A closed hazard keeps the place it
    was closed in (the grid of record), as visits do: they are history, counted where the
    work was done. (No visit is planned ahead today: coverage reads each enterprise's
    current grid, and a double-random draw item belongs to its draw, not to a grid.)
    """
    hazards = list(
        Hazard.objects.filter(enterprise_id=moved.enterprise_id)
        .open()
        .select_for_update()
        .values_list("id", "status", "name", "grid_id")
    )
    if not hazards:
        return 0
    names = dict(
        Grid.objects.filter(pk__in={moved.grid_id, *(h[3] for h in hazards)}).values_list(
            "id", "name"
        )
    )
    Hazard.objects.filter(pk__in=[h[0] for h in hazards]).update(
        grid_id=moved.grid_id,
        village_id=moved.village_id,
        office_id=moved.office_id,
        zone_id=moved.zone_id,
    )
    HazardEvent.objects.bulk_create(
        HazardEvent(
            hazard_id=pk,
            action="move",
            from_status=status,
            to_status=status,
            actor_id=moved.by_id,
            data={"grid": f"{names.get(grid_id, grid_id)} → {names[moved.grid_id]}"},
        )
        for pk, status, _name, grid_id in hazards
    )
    record_rows(
        User.objects.filter(pk=moved.by_id).first(),
        "hazard.move",
        [
            ("hazards.hazard", pk, name, moved.zone_id, {"grid": [grid_id, moved.grid_id]})
            for pk, _status, name, grid_id in hazards
        ],
    )
    return len(hazards)
