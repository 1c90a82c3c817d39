"""Free-text search in Chinese that stays fast at city scale.

`LIKE '%term%'` must read every row in scope when the term is rare (about 90 ms over 50,000
enterprises on SQLite). On SQLite, an FTS5 table with the trigram tokenizer finds rare terms
of 3+ characters in under a millisecond; it cannot match 1–2 character terms at all, and a
very common term is faster with LIKE, which stops at the first page of matches in index
order. So: count the FTS matches up to a cap, and use FTS only below it (PERFORMANCE.md,
lesson 5). PostgreSQL uses LIKE throughout.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

# Above this many FTS matches, LIKE in index order reaches a page of results sooner.
FTS_MAX_MATCHES = 2000

QS = TypeVar("QS", bound=QuerySet[Any])


def fts_phrase(term: str) -> str:
    """The term as one FTS5 phrase, so its characters are matched literally."""
    return '"' + term.replace('"', '""') + '"'


def contains(qs: QS, term: str, like: Q, *, fts_table: str = "") -> QS:
    """Rows matching `term`: through `fts_table` where that is faster, else the `like` filter.

    `fts_table` is an FTS5 table whose rowid is the model's id and whose columns are those
    that `like` searches.
    """
    if fts_table and connection.vendor == "sqlite" and len(term) >= 3:
        phrase = fts_phrase(term)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {fts_table} WHERE {fts_table} MATCH %s "
                f"LIMIT {FTS_MAX_MATCHES + 1})",
                [phrase],
            )
            (matches,) = cursor.fetchone()
        if matches <= FTS_MAX_MATCHES:
            return qs.filter(
                id__in=RawSQL(f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s", [phrase])
            )
    return qs.filter(like)


def fts_candidates(qs: QS, term: str, fts_table: str, column: str) -> QS:
    """`qs` narrowed to the rows whose `column` an FTS5 trigram table finds `term` in, on
    SQLite for terms of 3+ characters; unchanged otherwise.

    The trigram table finds every row whose column contains the term, and a few more (it
    folds the case of all letters, LIKE of ASCII letters only), so the caller's own filter
    (`column__contains=term`) still decides: the same rows as that filter alone, found
    without reading every row (PERFORMANCE.md, lesson 5).
    """
    if connection.vendor != "sqlite" or len(term) < 3:
        return qs
    match = f"{column} : {fts_phrase(term)}"
    return qs.filter(
        id__in=RawSQL(f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s", [match])
    )
