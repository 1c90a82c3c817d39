"""The triggers the statistics layer keeps (tallies, versions), as each engine lists them:
name -> (table, definition), for those whose names start with a prefix."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def sqlite_existing(cursor: Any, prefix: str) -> dict[str, tuple[str, str]]:
    cursor.execute(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
        [f"{prefix}%"],
    )
    return {name: (table, sql) for name, table, sql in cursor.fetchall()}


def postgresql_existing(cursor: Any, prefix: str) -> dict[str, tuple[str, str]]:
    """(The definition is the source of the trigger's function.)"""
    cursor.execute(
        "SELECT t.tgname, t.tgrelid::regclass::text, p.prosrc FROM pg_trigger t "
        "JOIN pg_proc p ON t.tgfoid = p.oid WHERE t.tgname LIKE %s",
        [f"{prefix}%"],
    )
    return {name: (table, src) for name, table, src in cursor.fetchall()}


def run(cursor: Any, statements: Iterable[str]) -> None:
    for sql in statements:
        cursor.execute(sql)
