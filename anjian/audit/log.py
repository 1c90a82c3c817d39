"""`record()`: the one way writes reach the audit trail.

The channel (page, API, import, command) is set once per request or job with `channel(...)`
so write functions do not need to pass it along.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.utils import timezone

from anjian.audit.models import Channel, Entry
from anjian.lib import bulk
from anjian.lib.scoping import scope_of

_channel: ContextVar[str] = ContextVar("audit_channel", default=Channel.SYSTEM)
# The request's client: (address, user agent).
_client: ContextVar[tuple[str | None, str]] = ContextVar("audit_client", default=(None, ""))


@contextlib.contextmanager
def channel(name: str) -> Iterator[None]:
    token = _channel.set(name)
    try:
        yield
    finally:
        _channel.reset(token)


def current_channel() -> str:
    return _channel.get()


@contextlib.contextmanager
def client(address: str | None, user_agent: str) -> Iterator[None]:
    """Entries recorded inside carry the request's client address and user agent."""
    token = _client.set((address, user_agent[:200]))
    try:
        yield
    finally:
        _client.reset(token)


def plain(value: Any) -> Any:
    """A JSON-safe form of a field value for the before/after record."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(plain(v) for v in value)
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value changed."""
    return {
        k: [plain(before.get(k)), plain(after.get(k))]
        for k in after
        if plain(before.get(k)) != plain(after.get(k))
    }


def _entry(
    actor: Any, action: str, obj: models.Model, changes: Mapping[str, Any], zone_id: int | None
) -> Entry:
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    if zone_id is None:
        zone_id = getattr(obj, "zone_id", None) or _zone_of(actor_obj or obj)
    return Entry(
        actor=actor_obj,
        actor_name=str(actor_obj or ""),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=dict(changes),
        channel=current_channel(),
        client_ip=_client.get()[0],
        user_agent=_client.get()[1],
        zone_id=zone_id,
    )


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    changes: Mapping[str, Any] | None = None,
    zone_id: int | None = None,
) -> Entry:
    """Write one audit entry; call it inside the write's own transaction."""
    entry = _entry(actor, action, obj, changes or {}, zone_id)
    entry.save()
    return entry


def record_many(
    actor: Any, action: str, items: Sequence[tuple[models.Model, Mapping[str, Any]]]
) -> None:
    """`record()` for a bulk write (an import): the entries inserted in one statement."""
    rows = [
        (obj._meta.label_lower, obj.pk, str(obj), getattr(obj, "zone_id", None), changes)
        for obj, changes in items
    ]
    record_rows(actor, action, rows)


def record_rows(
    actor: Any, action: str, rows: Sequence[tuple[str, Any, str, int | None, Mapping[str, Any]]]
) -> None:
    """`record_many()` from plain values — (object type, id, repr, zone id, changes) — for
    imports that write rows without building model instances."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    actor_zone = _zone_of(actor_obj) if actor_obj is not None else None
    now, where = timezone.now(), current_channel()
    actor_id, actor_name = (actor_obj.pk if actor_obj else None), str(actor_obj or "")
    address, agent = _client.get()
    columns = (
        "at", "actor_id", "actor_name", "action", "object_type", "object_id", "object_repr",
        "changes", "channel", "client_ip", "user_agent", "zone_id",
    )  # fmt: skip
    bulk.insert(
        Entry,
        columns,
        [
            (
                now,
                actor_id,
                actor_name,
                action,
                kind,
                str(pk),
                text[:200],
                dict(changes),
                where,
                address,
                agent,
                zone_id or actor_zone,
            )
            for kind, pk, text, zone_id, changes in rows
        ],
    )


def _zone_of(who: Any) -> int | None:
    """The zone of a person (for writes on objects that have no zone of their own)."""
    return scope_of(who).zone_id
