"""Keyset (cursor) paging, shared by every list page and list endpoint.

A page is `WHERE key >= k AND (key > k OR id > i) ORDER BY key, id LIMIT n+1`: the redundant
`>=` lets the index range scan start at the cursor (see PERFORMANCE.md, lesson 1).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

M = TypeVar("M", bound=Model)


class BadCursor(ValueError):
    """A cursor that this server did not make."""


@dataclass
class Page(Generic[M]):
    items: list[M]
    next: str | None
    count: int | None = None


def _encode(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime.date) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, size: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadCursor("cursor is not valid") from exc
    if not isinstance(values, list) or len(values) != size:
        raise BadCursor("cursor is not valid")
    return values


def keyset_page(
    qs: QuerySet[M],
    *,
    key: str,
    descending: bool = False,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
    with_count: bool = False,
) -> Page[M]:
    """One page of `qs` ordered by (key, id), both ascending or both descending."""
    limit = max(1, min(limit, MAX_LIMIT))
    count = qs.count() if with_count else None
    sign = "-" if descending else ""
    ordered = qs.order_by(f"{sign}{key}", f"{sign}id")
    if cursor:
        value, last_id = _decode(cursor, 2)
        if not isinstance(last_id, int):
            raise BadCursor("cursor is not valid")
        op = "lt" if descending else "gt"
        ordered = ordered.filter(**{f"{key}__{op}e": value}).filter(
            Q(**{f"{key}__{op}": value}) | Q(**{key: value, f"id__{op}": last_id})
        )
    rows = list(ordered[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        # Rows are model instances, or dicts when the caller pages over .values().
        if isinstance(last, dict):
            next_cursor = _encode([last[key], last["id"]])
        else:
            next_cursor = _encode([getattr(last, key), last.pk])
    return Page(items=rows, next=next_cursor, count=count)


def page_from_request(
    request: HttpRequest,
    qs: QuerySet[M],
    *,
    key: str,
    descending: bool = False,
    with_count: bool = False,
) -> tuple[Page[M], str]:
    """A list page's page, and its query string without the cursor (for the next link).

    A cursor that does not decode (an old bookmark, a hand-edited URL) shows the first page
    rather than an error: a person can always go on from there. The API answers 400 instead.
    """
    try:
        page = keyset_page(
            qs,
            key=key,
            descending=descending,
            cursor=request.GET.get("cursor"),
            with_count=with_count,
        )
    except BadCursor:
        page = keyset_page(qs, key=key, descending=descending, with_count=with_count)
    query = request.GET.copy()
    query.pop("cursor", None)
    return page, query.urlencode()
