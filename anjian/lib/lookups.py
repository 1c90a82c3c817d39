"""`field__in_literal=[...]`: IN over constant codes, written into the SQL itself.

Django sends the values of `__in` as parameters. PostgreSQL plans with the values, but
SQLite's planner sees only placeholders, so it can never prove that a query implies the
condition of a partial index (`WHERE status IN ('confirmed', ...)`) and never uses one.
Written out, sorted as the index conditions are (`Q(status__in=sorted(...))`), the query's
term is the index's term and SQLite uses the index.

Only for the platform's own codes: every value must be a plain identifier
(letters, digits, underscore), so nothing a person typed can reach the SQL this way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import CharField, Lookup

CODE = re.compile(r"[A-Za-z0-9_]+")


@CharField.register_lookup
class InLiteral(Lookup):  # type: ignore[type-arg]
    lookup_name = "in_literal"
    prepare_rhs = False

    def get_prep_lookup(self) -> tuple[str, ...]:
        values: Iterable[Any] = self.rhs
        if isinstance(values, str) or not isinstance(values, Iterable):
            raise TypeError("in_literal takes a collection of codes")
        codes = tuple(sorted({str(v) for v in values}))
        for code in codes:
            if not CODE.fullmatch(code):
                raise ValueError(f"in_literal takes plain codes, not {code!r}")
        return codes

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        if not self.rhs:
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        listed = ", ".join(f"'{code}'" for code in self.rhs)
        return f"{lhs} IN ({listed})", tuple(params)
