"""The ledger as hazard records of the national dual-prevention interface (FIELD-NOTES.md
§4.2), streamed as a JSON array or JSON Lines a few hundred records at a time."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

import orjson
from django.utils import timezone

from anjian.hazards.exporting.labels import CHUNK, LEDGER_ORDER, person
from anjian.hazards.models import DANGER_STATE, HazardQuerySet, Status

NATIONAL_VALUES = (
    "id", "enterprise__name", "enterprise__uscc", "name", "description", "reason", "level",
    "source", "rectify_type", "hazard_type", "management_class", "measures", "funds",
    "liable_person", "deadline", "acceptor__display_name", "acceptor__username",
    "acceptor_name", "accepted_at", "accept_comment", "status", "created_at",
    "found_by__display_name", "found_by__username", "found_by_name",
)  # fmt: skip

# Interface fields anjian holds no source for. They are sent as null so a receiving platform
# sees the full shape; inventing values for them would be worse than leaving them empty.
NATIONAL_NULL_FIELDS = (
    "companyCode",  # the hazardous-chemicals registration platform's 9-digit code
    "hazardCode",  # 风险分析对象编码: dual-prevention risk objects are not modelled yet
    "riskMeasureId",  # 管控措施 ID: idem
    "checkRecordId",  # 隐患排查记录 ID of a dual-prevention check task: idem
    "hazardCategory",  # registered by which 包保责任人 role: not recorded
    "occurrenceLink",  # 发生环节: not recorded
    "enforcementId",  # 执法编号: enforcement cases are not linked yet
    "attachments1",  # before photo as base64: photos are served by the API, not inlined
    "attachments2",  # after photo: idem
    "attachments3",  # other files: idem
)


def _moment(moment: datetime.datetime | None) -> str | None:
    """The interface's time format: local wall-clock time, "YYYY-MM-DD HH:MM:SS"."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else None


def national_record(r: dict[str, Any]) -> dict[str, Any]:
    """One hazard in the national interface's field names and codes (codes as strings, as
    the interface's dictionaries list them). `id`, `companyName` and `creditCode` are
    anjian's additions so a receiver can match the hazard and the enterprise."""
    funds = r["funds"]
    return {
        "id": r["id"],
        "companyName": r["enterprise__name"],
        "creditCode": r["enterprise__uscc"] or None,
        **dict.fromkeys(NATIONAL_NULL_FIELDS[:4]),
        "dangerName": r["name"],
        "dangerDesc": r["description"] or None,
        "dangerReason": r["reason"] or None,
        "dangerLevel": r["level"],
        "dangerSrc": r["source"],
        "dangerManageType": r["rectify_type"],
        "hazardDangerType": r["hazard_type"],
        "managementClassification": r["management_class"] or None,
        "controlMeasures": r["measures"] or None,
        "cost": float(funds) if funds is not None else None,
        "liablePerson": r["liable_person"] or None,
        "dangerManageDeadline": r["deadline"].isoformat() if r["deadline"] else None,
        "checkAcceptPerson": person(r, "acceptor") or None,
        "checkAcceptTime": _moment(r["accepted_at"]),
        "checkAcceptComment": r["accept_comment"] or None,
        "dangerState": str(DANGER_STATE.get(Status(r["status"]), 0)),
        "registTime": _moment(r["created_at"]),
        "registrant": person(r, "found_by") or None,
        # A voided hazard was never one: the interface's soft delete.
        "deleted": "1" if r["status"] == Status.VOID else "0",
        **dict.fromkeys(NATIONAL_NULL_FIELDS[4:]),
    }


def national_records(qs: HazardQuerySet) -> Iterator[dict[str, Any]]:
    rows = qs.order_by(*LEDGER_ORDER).values(*NATIONAL_VALUES)
    for r in rows.iterator(chunk_size=CHUNK):
        yield national_record(r)


def json_array_chunks(records: Iterable[dict[str, Any]], per_chunk: int = 200) -> Iterator[bytes]:
    """A JSON array, written a few hundred records at a time."""
    yield b"["
    batch: list[bytes] = []
    first = True
    for record in records:
        batch.append(orjson.dumps(record))
        if len(batch) == per_chunk:
            yield (b"" if first else b",") + b",".join(batch)
            batch, first = [], False
    if batch:
        yield (b"" if first else b",") + b",".join(batch)
    yield b"]"


def json_lines_chunks(records: Iterable[dict[str, Any]], per_chunk: int = 200) -> Iterator[bytes]:
    """One JSON object per line (JSON Lines), a few hundred lines at a time."""
    batch: list[bytes] = []
    for record in records:
        batch.append(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
        if len(batch) == per_chunk:
            yield b"".join(batch)
            batch = []
    if batch:
        yield b"".join(batch)
