"""Writing checked rows: hazards, their history as imported events (from the workflow's own
table, hazards.workflow.history) and their audit entries, with one bulk insert per table."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from anjian.accounts.models import User
from anjian.audit.log import record_rows
from anjian.hazards import workflow
from anjian.hazards.importing.rows import HAZARD_DEFAULTS, ParsedRow
from anjian.hazards.models import Hazard, HazardEvent, Status
from anjian.hazards.workflow import Moment
from anjian.imports.models import ImportBatch
from anjian.lib import bulk


def _at(day: datetime.date) -> datetime.datetime:
    """A day as a moment on the timeline: noon, so no time zone moves it to another day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


HAZARD_FIELDS = (
    "name", "description", "reason", "location", "level", "source", "rectify_type",
    "hazard_type", "management_class", "accident_type", "basis", "finder", "found_on",
    "found_by_name", "liable_person", "measures", "funds", "deadline", "rectified_on",
    "acceptor_name", "accepted_at", "accept_comment", "status", "rejections", "extensions",
    "production_suspended",
)  # fmt: skip

EVENT_COLUMNS = (
    "id", "hazard_id", "action", "from_status", "to_status", "actor_id", "at", "note", "data",
    "imported", "batch_id", "source_row",
)  # fmt: skip


def write(rows: list[ParsedRow], batch: ImportBatch, *, by: User) -> int:
    """Insert a chunk of checked rows as hazards, their imported events and audit entries.

    Ids are reserved first so the events and entries can name their hazard, and each table
    gets one executemany (lib.bulk): a zone-year's ledger is written in a few seconds.
    """
    if not rows:
        return 0
    now = timezone.now()
    ids = bulk.reserve_ids(Hazard, len(rows))
    columns = ["id", *HAZARD_DEFAULTS]
    hazards, events, audit = [], [], []
    for pk, row in zip(ids, rows, strict=True):
        data, place = row.hazard, row.place
        values = {
            **HAZARD_DEFAULTS,
            **{name: data[name] for name in HAZARD_FIELDS},
            "enterprise_id": place.id,
            "grid_id": place.grid_id,
            "village_id": place.village_id,
            "office_id": place.office_id,
            "zone_id": place.zone_id,
            "imported": True,
            "created_at": now,
        }
        if values["status"] in (Status.CLOSED, Status.WRITTEN_OFF):
            values["closed_at"] = values["accepted_at"]
        events += _events(pk, values, row.row, batch, by)
        hazards.append([pk, *(values[c] for c in columns[1:])])
        changes = {"status": [None, values["status"]], "batch": batch.pk, "row": row.row}
        audit.append(("hazards.hazard", pk, values["name"], place.zone_id, changes))
    bulk.insert(Hazard, columns, hazards)
    event_ids = bulk.reserve_ids(HazardEvent, len(events))
    bulk.insert(
        HazardEvent, EVENT_COLUMNS, [(i, *e) for i, e in zip(event_ids, events, strict=True)]
    )
    record_rows(by, "hazard.import", audit)
    return len(hazards)


def _events(
    pk: int, hazard: dict[str, Any], row: int, batch: ImportBatch, by: User
) -> list[tuple[Any, ...]]:
    """The history the file tells, from the workflow's own table: found, then each step to
    the state the file gives, on the dates it gives — handed in on the day it was rectified,
    accepted when it was accepted; a step without a date of its own takes the one before.
    Every event is marked as imported, and the importer is its actor."""
    found = _at(hazard["found_on"])
    handed_in = _at(hazard["rectified_on"]) if hazard["rectified_on"] else found
    accepted = hazard["accepted_at"] or handed_in
    moments = {
        "register": Moment(by.pk, found),
        "submit": Moment(by.pk, handed_in),
        "self_assess": Moment(by.pk, handed_in),
        "accept": Moment(by.pk, accepted),
        "write_off": Moment(by.pk, accepted),
    }
    steps = workflow.history(hazard, hazard["status"], moments, hazard)
    hazard["version"] = len(steps)
    return [
        (pk, s.action, s.from_status, s.to_status, s.by_id, s.at, "", {}, True, batch.pk, row)
        for s in steps
    ]
