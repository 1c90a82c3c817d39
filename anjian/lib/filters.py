"""A list's filters declared once, as the page's Django form; the API's query schema is
generated from it, so the page, the exports and the API cannot drift apart."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection
from decimal import Decimal
from typing import Any, TypeVar, cast

from django import forms
from ninja import Schema
from pydantic import create_model

S = TypeVar("S", bound=type[Schema])

# The python type a form field's value is sent as, most specific class first (a
# ModelChoiceField is a ChoiceField, a DecimalField an IntegerField). A choice is sent as its
# value's text; a model choice as the row's id.
PYTHON_TYPES: list[tuple[type[forms.Field], type]] = [
    (forms.ModelChoiceField, int),
    (forms.ChoiceField, str),
    (forms.CharField, str),
    (forms.DateField, datetime.date),
    (forms.BooleanField, bool),
    (forms.DecimalField, Decimal),
    (forms.FloatField, float),
    (forms.IntegerField, int),
]
# Several values for one name would need a list parameter: none of our filters has one yet.
MULTIPLE = (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)


def python_type(name: str, field: forms.Field) -> type:
    """The type of the query parameter that fills `field`."""
    if not isinstance(field, MULTIPLE):
        for field_class, python in PYTHON_TYPES:
            if isinstance(field, field_class):
                return python
    raise TypeError(f"No query parameter type for {name} ({type(field).__name__}).")


def query_schema(form: type[forms.Form], *, exclude: Collection[str] = ()) -> Callable[[S], S]:
    """Decorate an empty Schema to give it one optional parameter per field of `form`, in
    the form's order and named as in the form:

        @query_schema(HazardFilter)
        class LedgerQuery(Schema):
            pass

    The class is declared rather than returned by a call so that `Query[LedgerQuery]` is a
    type mypy accepts. Every parameter defaults to None, and an endpoint passes the form
    only the ones given (`filters.dict(exclude_none=True)`): the form decides what a value
    means and answers for a bad one.
    """

    if unknown := set(exclude) - set(form.base_fields):
        raise TypeError(f"{form.__name__} has no field {', '.join(sorted(unknown))}.")

    def build(cls: S) -> S:
        fields: dict[str, Any] = {
            name: (python_type(name, field) | None, None)
            for name, field in form.base_fields.items()
            if name not in exclude
        }
        schema = create_model(
            cls.__name__, __base__=cls, __module__=cls.__module__, __doc__=cls.__doc__, **fields
        )
        return cast(S, schema)

    return build
