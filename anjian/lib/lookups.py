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
from django.db.models import CharField, ForeignKey, Lookup
from django.db.models.sql.query import Query

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


@ForeignKey.register_lookup
class InSubqueryOnce(Lookup):  # type: ignore[type-arg]
    """`fk__in_once=<queryset of ids>`: the same rows as `__in`, written so that the database
    computes the subquery once and can use it as an index condition.

    Inside an OR, PostgreSQL runs `x IN (SELECT ...)` as a hashed subplan checked row by row,
    which no index can serve, so the OR's other arms cannot be combined from their indexes
    either (a BitmapOr needs every arm indexed). `x = ANY(ARRAY(SELECT ...))` is the same
    condition computed once, before the scan (an InitPlan), and is an index condition.
    SQLite computes a plain `IN (SELECT ...)` once already.
    """

    lookup_name = "in_once"

    def get_prep_lookup(self) -> Any:
        if not isinstance(self.rhs, Query):
            raise TypeError("in_once takes a queryset of ids")
        self.rhs.clear_ordering(clear_default=True)  # as __in does: a set, not a list
        return self.rhs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        params = (*lhs_params, *rhs_params)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", params
        return f"{lhs} IN {rhs}", params
