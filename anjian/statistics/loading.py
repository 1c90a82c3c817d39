"""A bulk load with the statistics layer's row triggers off.

The tallies' and the versions' triggers run for every row written: for the city demo's ~4
million rows they were about a fifth of the load. Inside the loading transaction they are
dropped, the rows written, and then the triggers created again, the tallies counted from the
ledgers in one pass and every table given a new version — all before the transaction commits,
so no other connection ever sees a table without its triggers (SQLite's writers take turns;
PostgreSQL holds each table's lock from the DROP TRIGGER until commit), and a load that fails
rolls the triggers back with its rows.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connections

from anjian.statistics import tallies, versions


@contextlib.contextmanager
def triggers_off(using: str = "default") -> Iterator[None]:
    """Run the block with the triggers dropped; put them back and count afresh after it.
    Call inside the transaction that writes the rows."""
    if not connections[using].in_atomic_block:
        raise RuntimeError("triggers_off() runs inside the loading transaction")
    tallies.drop_triggers(using)
    versions.drop_triggers(using)
    yield
    tallies.rebuild(using)
    versions.rebuild(using)
