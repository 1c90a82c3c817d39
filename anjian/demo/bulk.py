"""Plain multi-row INSERTs for the demo loader.

`QuerySet.bulk_create` spends most of its time preparing every value of every model instance
(a zone's year is half a million rows: two minutes with bulk_create, seconds this way). Rows
here are dicts keyed by column attribute name; each column's value is converted once by the
backend's own adapter, and the rows go to `cursor.executemany` (SQLite) or COPY (PostgreSQL). Primary keys that the loader
must know (to point other rows at them) are reserved up front with `Ids`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

Row = dict[str, Any]
BATCH = 5000


def _converter(f: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """The column's value as the backend stores it, when it needs converting at all."""
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the thread-local proxy
    ops = db.ops
    if isinstance(f, models.DateTimeField):
        return lambda v: None if v is None else ops.adapt_datetimefield_value(v)
    if isinstance(f, models.DateField):
        return lambda v: None if v is None else ops.adapt_datefield_value(v)
    if isinstance(f, models.UUIDField):
        if db.features.has_native_uuid_field:
            return None
        return lambda v: None if v is None else v.hex
    if isinstance(f, models.JSONField):
        encoder = f.encoder
        return lambda v: ops.adapt_json_value(v, encoder)
    return None


class Table:
    """INSERT rows into one model's table (its concrete columns, the id only if given)."""

    def __init__(self, model: type[models.Model], *, with_id: bool = False) -> None:
        fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.required = {f.attname for f in fields if f.has_default() and callable(f.default)}
        self.columns = [
            (f.attname, None if f.attname in self.required else f.get_default()) for f in fields
        ]
        self.conversions = [
            (i, c) for i, c in enumerate(_converter(f) for f in fields) if c is not None
        ]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(str(f.column)) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        table = quote(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"

    def insert(self, rows: Iterable[Row]) -> int:
        values = []
        for row in rows:
            # A callable default (now, uuid4, dict) must be given: a value made here once
            # would be shared by every row.
            assert self.required <= row.keys(), f"give {self.required - row.keys()}"
            get = row.get
            value = [get(name, default) for name, default in self.columns]
            for i, convert in self.conversions:
                value[i] = convert(value[i])
            values.append(value)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY: one stream instead of a statement per row (psycopg's executemany
                # spent most of the PostgreSQL load's time waiting on each row's round).
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for value in values:
                        copy.write_row(value)
            else:
                for start in range(0, len(values), BATCH):
                    cursor.executemany(self.sql, values[start : start + BATCH])
        return len(values)


class Ids:
    """Primary keys reserved for rows inserted with their id.

    PostgreSQL hands them out from the table's sequence, so nothing else can take them.
    SQLite counts on from the largest id (the loader holds the write lock: SQLite's
    transactions here are IMMEDIATE), and an explicit id moves its AUTOINCREMENT on.
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.table = model._meta.db_table
        self.next: int | None = None

    def take(self, n: int) -> list[int]:
        if n == 0:
            return []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, n],
                )
                return [r[0] for r in cursor.fetchall()]
            if self.next is None:
                table = connection.ops.quote_name(self.table)
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                largest = cursor.fetchone()[0]
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                seq = cursor.fetchone()
                self.next = max(largest, seq[0] if seq else 0) + 1
        first = self.next
        self.next += n
        return list(range(first, first + n))

    def assign(self, rows: list[Row]) -> None:
        for row, pk in zip(rows, self.take(len(rows)), strict=True):
            row["id"] = pk
