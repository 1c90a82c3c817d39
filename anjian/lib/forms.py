"""Small helpers for Django forms."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# More grids than this in scope, and a filter's grid drop-down waits for an office to be
# chosen (a city's thousand grids in every page cost more than the page).
GRID_LIMIT = 80

CHECKS = (forms.CheckboxSelectMultiple, forms.RadioSelect, forms.CheckboxInput)
# The largest id a 64-bit integer column holds.
MAX_ID = 2**63 - 1


def id_field(label: Any, **kwargs: Any) -> forms.IntegerField:
    """An optional filter by a record's id: one beyond the database's integer range is a
    form error naming the field, never a query (where SQLite raises OverflowError)."""
    return forms.IntegerField(label=label, required=False, min_value=1, max_value=MAX_ID, **kwargs)


def with_all(choices: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """A filter's choices behind the empty one that filters nothing (全部)."""
    return [("", gettext_lazy("All")), *choices]


def bootstrap(form: forms.BaseForm, size: str = "") -> None:
    """Bootstrap's classes on a form's inputs; `size` e.g. "form-select-sm form-control-sm"
    for the compact filter bars."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, CHECKS):
            css = "form-check-input"
        else:
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            css = f"{css} {size}".strip()
        widget.attrs["class"] = css


def office_and_grid_choices(form: forms.BaseForm, limit: int = GRID_LIMIT) -> None:
    """A filter bar's office and grid drop-downs: every office in scope (the field's
    queryset), and the grids of the chosen office — or, with more than `limit` of them, a
    prompt to choose an office first. The fields still accept any grid in scope."""
    office_field, grid_field = form.fields["office"], form.fields["grid"]
    assert isinstance(office_field, forms.ModelChoiceField)
    assert isinstance(grid_field, forms.ModelChoiceField)
    office_widget, grid_widget = office_field.widget, grid_field.widget
    assert isinstance(office_widget, forms.Select) and isinstance(grid_widget, forms.Select)
    offices, grids = office_field.queryset, grid_field.queryset
    assert offices is not None and grids is not None
    office_widget.choices = with_all(offices.values_list("id", "name"))
    office = form.data.get("office")
    # Only an office the field accepted: an id past the database's integer range fails the
    # field, and would fail this query too (SQLite raises OverflowError, a 500).
    if office and str(office).isdecimal() and "office" not in form.errors:
        grids = grids.filter(office_id=office)
    options = list(grids.values_list("id", "name")[: limit + 1])
    if len(options) > limit:
        grid_widget.choices = [("", _("Choose an office first"))]
    else:
        grid_widget.choices = with_all(options)
