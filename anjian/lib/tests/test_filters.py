"""Query schemas generated from filter forms, and every list's API taking its page's form."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.test import SimpleTestCase
from ninja import Schema

from anjian.coverage.forms import CoverageFilter
from anjian.enterprises.filters import EnterpriseFilter
from anjian.hazards.filters import HazardFilter
from anjian.lib.filters import query_schema
from anjian.regions.models import Grid


class EveryKind(forms.Form):
    grid = forms.ModelChoiceField(queryset=Grid.objects.none(), required=False)
    level = forms.ChoiceField(choices=[("0", "general")], required=False)
    q = forms.CharField(required=False)
    since = forms.DateField(required=False)
    unread = forms.BooleanField(required=False)
    limit = forms.IntegerField(required=False)
    funds = forms.DecimalField(required=False)
    ratio = forms.FloatField(required=False)


class QuerySchemaTests(SimpleTestCase):
    def test_each_field_is_an_optional_parameter_of_its_type_in_the_forms_order(self) -> None:
        @query_schema(EveryKind)
        class EveryQuery(Schema):
            pass

        types = {name: f.annotation for name, f in EveryQuery.model_fields.items()}
        self.assertEqual(
            types,
            {
                "grid": int | None,
                "level": str | None,
                "q": str | None,
                "since": datetime.date | None,
                "unread": bool | None,
                "limit": int | None,
                "funds": Decimal | None,
                "ratio": float | None,
            },
        )
        self.assertEqual(list(types), list(EveryKind.base_fields))
        self.assertEqual(EveryQuery().dict(exclude_none=True), {})
        self.assertEqual(EveryQuery.__name__, "EveryQuery")

    def test_a_field_added_to_the_form_is_a_parameter(self) -> None:
        class MoreKinds(EveryKind):
            deadline_to = forms.DateField(required=False)

        @query_schema(MoreKinds)
        class MoreQuery(Schema):
            pass

        self.assertEqual(MoreQuery.model_fields["deadline_to"].annotation, datetime.date | None)

    def test_excluded_fields_are_left_out_and_unknown_ones_refused(self) -> None:
        @query_schema(EveryKind, exclude=["ratio", "funds"])
        class Fewer(Schema):
            pass

        self.assertEqual(list(Fewer.model_fields), list(EveryKind.base_fields)[:6])
        with self.assertRaisesMessage(TypeError, "ratios"):
            query_schema(EveryKind, exclude=["ratios"])

    def test_a_field_without_a_parameter_type_is_refused_by_name(self) -> None:
        class Several(forms.Form):
            tags = forms.MultipleChoiceField(choices=[("a", "a")], required=False)

        with self.assertRaisesMessage(TypeError, "tags (MultipleChoiceField)"):

            @query_schema(Several)
            class SeveralQuery(Schema):
                pass


def parameter(name: str, field: forms.Field) -> dict[str, Any]:
    """The OpenAPI query parameter a filter field should be: written out here, apart from the
    code under test."""
    if isinstance(field, forms.ModelChoiceField | forms.IntegerField):
        json: dict[str, Any] = {"type": "integer"}
    elif isinstance(field, forms.DateField):
        json = {"type": "string", "format": "date"}
    elif isinstance(field, forms.BooleanField):
        json = {"type": "boolean"}
    else:
        assert isinstance(field, forms.ChoiceField | forms.CharField), name
        json = {"type": "string"}
    title = name.replace("_", " ").title()
    schema = {"anyOf": [json, {"type": "null"}], "title": title}
    return {"in": "query", "name": name, "required": False, "schema": schema}


# Every list with a filter form on its page and an API: (path, form, fields the
# endpoint does not take). The summary's roll-ups ignore the list's state.
FILTERED_ENDPOINTS: list[tuple[str, type[forms.Form], set[str]]] = [
    ("/api/v1/hazards", HazardFilter, set()),
    ("/api/v1/hazards/exports/ledger.xlsx", HazardFilter, set()),
    ("/api/v1/hazards/exports/ledger.json", HazardFilter, set()),
    ("/api/v1/enterprises", EnterpriseFilter, set()),
    ("/api/v1/enterprises/export", EnterpriseFilter, set()),
    ("/api/v1/coverage", CoverageFilter, set()),
    ("/api/v1/coverage/summary", CoverageFilter, {"state"}),
]


class EndpointTests(SimpleTestCase):
    def setUp(self) -> None:
        from config.api import api

        self.openapi = api.get_openapi_schema()

    def test_each_list_endpoint_takes_exactly_its_page_forms_fields(self) -> None:
        for path, form, left_out in FILTERED_ENDPOINTS:
            with self.subTest(path=path):
                expected = [
                    parameter(name, field)
                    for name, field in form.base_fields.items()
                    if name not in left_out
                ]
                params = self.openapi["paths"][path]["get"]["parameters"]
                self.assertEqual(params[: len(expected)], expected)
                others = {p["name"] for p in params[len(expected) :]}
                self.assertFalse(others & set(form.base_fields))

    def test_a_draws_registry_filters_are_the_registry_forms_fields(self) -> None:
        schemas = self.openapi["components"]["schemas"]
        ref = schemas["DrawIn"]["properties"]["filters"]["allOf"][0]["$ref"]
        properties = schemas[ref.rsplit("/", 1)[1]]["properties"]
        self.assertEqual(set(properties), set(EnterpriseFilter.base_fields))
