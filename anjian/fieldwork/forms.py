"""The field work pages' forms: the visit list's filter bar."""

from __future__ import annotations

from django import forms

from anjian.fieldwork.filters import VisitFilter
from anjian.lib.forms import bootstrap, office_and_grid_choices


def prepare_visit_filter(form: VisitFilter) -> None:
    """Set the visit list's filter up for the page (the API skips this)."""
    bootstrap(form, "form-select-sm form-control-sm")
    office_and_grid_choices(form)
    # Filtered by id (a link from an enterprise's page or a figure): no drop-down of every
    # enterprise in scope.
    form.fields["enterprise"].widget = forms.HiddenInput()
