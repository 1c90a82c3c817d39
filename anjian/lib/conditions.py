"""A model's check constraints read in Python, so an import can refuse a row for the same
reason the database would, before it writes anything.

Only the lookups the constraints use are read (exact, isnull, in); a condition with any other
raises UnsupportedCondition when it is read, so a new constraint cannot slip past the row
checks unnoticed (the importer's tests read every constraint of its model).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q


class UnsupportedCondition(ValueError):
    """A condition uses something holds() cannot read in Python."""


def _lookup(key: str, expected: Any, values: Mapping[str, Any]) -> bool:
    name, _sep, lookup = key.partition("__")
    if name not in values:
        raise UnsupportedCondition(f"no value for {name!r}")
    value = values[name]
    if lookup in ("", "exact"):
        return bool(value == expected)
    if lookup == "isnull":
        return (value is None) == bool(expected)
    if lookup == "in":
        return value in expected
    raise UnsupportedCondition(f"lookup {key!r}")


def holds(condition: Q, values: Mapping[str, Any]) -> bool:
    """Whether `values` (attribute name → value) meet `condition`, as the database decides
    a CHECK on a row with those values (for the columns a check reads that are never NULL
    but in isnull: SQL's unknown is not modelled)."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(holds(child, values))
        elif isinstance(child, tuple) and len(child) == 2 and isinstance(child[0], str):
            results.append(_lookup(child[0], child[1], values))
        else:
            raise UnsupportedCondition(repr(child))
    met = all(results) if condition.connector == Q.AND else any(results)
    return not met if condition.negated else met
