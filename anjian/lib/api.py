"""Pieces every API router shares: the error shape, the list shape, input errors."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

import orjson
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpResponse
from ninja import Schema
from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

from anjian.lib.forms import MAX_ID

T = TypeVar("T")

# A record's id as the API takes it, in the range of the database's ids (BigAutoField): one
# beyond it is a 422 naming the field, never a query the database refuses (SQLite raises
# OverflowError, PostgreSQL "out of range") — and the OpenAPI document says so.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# A whole number stored in a 64-bit column (a draw's seed).
Int64 = Annotated[int, Field(ge=0, le=MAX_ID)]


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """Every error the API returns: a sentence, and the fields it is about."""

    detail: str
    errors: list[FieldError] = []


class ListOut(BaseModel, Generic[T]):
    """The one list shape: items, the cursor of the next page, and count when asked."""

    items: list[T]
    next: str | None
    count: int | None = None

    @model_serializer(mode="wrap")
    def _count_only_when_asked(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        # Counting costs a query on big tables, so `count` is there only when asked for. No
        # return annotation: with one, pydantic would describe the list as a bare object in
        # the OpenAPI document.
        data = handler(self)
        if self.count is None:
            data.pop("count", None)
        return data


class InputError(Exception):
    """Bad input: 422 with each field and what is wrong with it."""

    def __init__(self, errors: list[dict[str, str]], detail: str = "") -> None:
        super().__init__(detail or "; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


def form_errors(form: forms.BaseForm) -> list[dict[str, str]]:
    return [
        {"field": "__all__" if f == NON_FIELD_ERRORS else f, "message": str(m)}
        for f, msgs in form.errors.items()
        for m in msgs
    ]


def errors(*codes: int) -> dict[int, Any]:
    """Declare error responses in OpenAPI: `response={200: X, **errors(401, 404)}`."""
    return dict.fromkeys(codes, ErrorOut)


def binary_responses(description: str, *media: str) -> dict[str, Any]:
    """`openapi_extra` declaring a 200 that answers a file in one of `media` types."""
    # The key is the int 200, as ninja writes its own: a "200" string would sit beside it as a
    # second, duplicate response in the JSON document instead of merging into it.
    return {"responses": {200: {"description": description, "content": {m: {} for m in media}}}}


def unchecked_json(payload: dict[str, Any]) -> HttpResponse:
    """A 200 JSON response that ninja passes through without validating it against the
    operation's response schema.

    Only for hot list endpoints whose rows the endpoint builds itself, key by key, from
    `.values()` (the ledger): validating 50 rows it has just built cost the API a fifth of
    its own time. Each use has a test that checks its output against the declared schema.
    """
    return HttpResponse(
        orjson.dumps(payload, default=str), content_type="application/json; charset=utf-8"
    )


def list_payload(page: Any, items: list[Any]) -> dict[str, Any]:
    payload: dict[str, Any] = {"items": items, "next": page.next}
    if page.count is not None:
        payload["count"] = page.count
    return payload
