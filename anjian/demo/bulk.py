"""The demo loader's rows: dicts keyed by column attribute name, written with lib.bulk.

A zone's year is half a million rows: two minutes with bulk_create, seconds this way. Primary
keys that the loader must know (to point other rows at them) are reserved up front with `Ids`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, models

from anjian.lib import bulk

Row = dict[str, Any]


class Table:
    """INSERT rows into one model's table (its concrete columns, the id only if given),
    columns a row leaves out taking the field's default."""

    def __init__(self, model: type[models.Model], *, with_id: bool = False) -> None:
        self.model = model
        fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.required = {f.attname for f in fields if f.has_default() and callable(f.default)}
        self.columns = [
            (f.attname, None if f.attname in self.required else f.get_default()) for f in fields
        ]
        self.names = [name for name, _default in self.columns]

    def insert(self, rows: Iterable[Row]) -> int:
        values = []
        for row in rows:
            # A callable default (now, uuid4, dict) must be given: a value made here once
            # would be shared by every row.
            assert self.required <= row.keys(), f"give {self.required - row.keys()}"
            get = row.get
            values.append([get(name, default) for name, default in self.columns])
        bulk.insert(self.model, self.names, values)
        return len(values)


class Ids:
    """Primary keys reserved for rows inserted with their id (lib.bulk.reserve_ids), counted
    on here after the first reservation: on SQLite the rows are inserted later, so asking the
    table again would hand out the same ids. PostgreSQL's sequence keeps count itself."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.next: int | None = None

    def take(self, n: int) -> list[int]:
        if n == 0:
            return []
        if connection.vendor == "postgresql":
            return bulk.reserve_ids(self.model, n)
        if self.next is None:
            self.next = bulk.reserve_ids(self.model, 1)[0]
        first = self.next
        self.next += n
        return list(range(first, first + n))

    def assign(self, rows: list[Row]) -> None:
        for row, pk in zip(rows, self.take(len(rows)), strict=True):
            row["id"] = pk
