"""Inserting many rows fast, for imports and the demo loader: plain tuples, executemany
(COPY on PostgreSQL).

`QuerySet.bulk_create` builds a model instance per row and prepares every value through its
field (~5 µs a value); for a 20,000-row ledger import (hazards, their events, audit entries:
~1,000,000 values) that was most of the commit's time. Here each column's conversion is
chosen once, and only dates, times, decimals and JSON are converted at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

Convert = Callable[[Any], Any]
# Rows per executemany on SQLite.
BATCH = 5000
# Rows of each index SQLite's ANALYZE reads after a bulk write (its own advice for
# PRAGMA optimize).
SQLITE_ANALYSIS_ROWS = 1000


def _converter(field: models.Field[Any, Any]) -> Convert | None:
    # The real connection's ops, not the thread-local proxy's: read once, not per value.
    ops = connections[DEFAULT_DB_ALIAS].ops
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return _memo(ops.adapt_datetimefield_value)
    if kind == "DateField":
        return _memo(ops.adapt_datefield_value)
    if kind == "DecimalField":
        digits, places = field.max_digits, field.decimal_places  # type: ignore[attr-defined]
        return lambda v: ops.adapt_decimalfield_value(v, digits, places)
    if kind == "JSONField":
        encoder = field.encoder  # type: ignore[attr-defined]
        return lambda v: ops.adapt_json_value(v, encoder)
    if kind == "UUIDField" and not connections[DEFAULT_DB_ALIAS].features.has_native_uuid_field:
        return lambda v: v.hex
    return None


def _memo(convert: Convert) -> Convert:
    """Convert each distinct value once: an import's rows share their days and its time."""
    seen: dict[Any, Any] = {}

    def cached(value: Any) -> Any:
        result = seen.get(value)
        if result is None:
            result = seen[value] = convert(value)
        return result

    return cached


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys for `model`, taken before the rows are inserted so that rows
    referring to them (events, audit entries) can be built in the same pass.

    Call inside the writing transaction. PostgreSQL hands them out from the table's
    sequence; SQLite continues after the highest id ever given (AUTOINCREMENT keeps that in
    sqlite_sequence), which is safe because the transaction already holds the write lock
    (transaction_mode IMMEDIATE).
    """
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT MAX(n) FROM (SELECT MAX(id) AS n FROM "
            f'"{table}" UNION ALL SELECT seq FROM sqlite_sequence WHERE name = %s)',
            [table],
        )
        start = (cursor.fetchone()[0] or 0) + 1
    return list(range(start, start + count))


def insert(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """INSERT `rows` (tuples of Python values in `columns` order; columns are attnames such
    as "enterprise_id") into `model`'s table with one executemany."""
    if not rows:
        return
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[c] for c in columns]
    convert = [(i, fn) for i, f in enumerate(fields) if (fn := _converter(f)) is not None]
    if convert:
        prepared = []
        for row in rows:
            values = list(row)
            for i, fn in convert:
                if values[i] is not None:
                    values[i] = fn(values[i])
            prepared.append(values)
    else:
        prepared = [list(r) for r in rows]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column or f.attname) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one stream for all the rows, several times faster than INSERTs.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for values in prepared:
                    copy.write_row(values)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
        for start in range(0, len(prepared), BATCH):
            cursor.executemany(sql, prepared[start : start + BATCH])


def analyze(tables: Sequence[type[models.Model]], using: str = DEFAULT_DB_ALIAS) -> None:
    """Refresh the planner's statistics of the tables a bulk write filled (ANALYZE, on
    either engine): right after a large import into a new or small table PostgreSQL
    otherwise plans from none — the ledger's first page took 51–63 ms instead of 9 until
    autovacuum got round to it — and SQLite never gathers them by itself."""
    conn = connections[using]
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            # A sample, as PostgreSQL takes: reading every index of a city's ledger takes
            # 1.7 s, a thousand rows of each 4 ms.
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_ROWS}")
        try:
            for model in tables:
                cursor.execute(f"ANALYZE {conn.ops.quote_name(model._meta.db_table)}")
        finally:
            if conn.vendor == "sqlite":
                cursor.execute("PRAGMA analysis_limit = 0")
