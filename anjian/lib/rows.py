"""A list page's rows rendered in one pass of Python, for the pages that show many at once.

A page of 50 ledger rows through the template language took ~40 ms, most of it in variable
lookups, per-row includes and `get_FOO_display` (which rebuilds its choices' mapping, lazy
labels and all, at every call); the same rows written here take a millisecond or two. What
stays in templates is the page around them. Every value goes through `html.escape`.
"""

from __future__ import annotations

import functools
from html import escape

from django import forms, template
from django.db.models import TextChoices
from django.forms import widgets
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

__all__ = ["escape", "labels", "path_to", "shorten"]

# Registered as the template library "rows" (settings.TEMPLATES): `{% load rows %}`.
register = template.Library()


def labels(choices: type[TextChoices]) -> dict[str, str]:
    """{value: its label in the active language, escaped}: made once per language."""
    return _labels(choices, translation.get_language() or "")


@functools.cache
def _labels(choices: type[TextChoices], language: str) -> dict[str, str]:
    with translation.override(language or None):
        return {value: escape(str(label)) for value, label in choices.choices}


# A stand-in primary key, replaced by each row's own in the reversed path.
_PLACEHOLDER = 2147483647


def path_to(name: str) -> tuple[str, str]:
    """The path of the view `name` for one primary key, as (before, after) the key: reversed
    once per page instead of once per row."""
    before, _key, after = reverse(name, args=[_PLACEHOLDER]).partition(str(_PLACEHOLDER))
    return before, after


def shorten(text: str, n: int) -> str:
    """`text` cut to `n` characters, the last an ellipsis (the truncatechars filter)."""
    return text if len(text) <= n else text[: n - 1] + "…"


@register.simple_tag
def control(field: forms.BoundField) -> SafeString:
    """A filter's control as `{{ field }}` renders it (its attributes, value, id, required,
    aria-*), written here for a single select and the plain inputs (the widgets' templates
    took ~0.3 ms a field: a ledger's twenty filters, 6 ms); any other widget as Django
    renders it."""
    widget = field.field.widget
    is_select = isinstance(widget, forms.Select) and not widget.allow_multiple_selected
    is_input = isinstance(widget, widgets.Input) and not isinstance(
        widget, (forms.FileInput, forms.MultipleHiddenInput)
    )
    if not (is_select or is_input):
        return field.as_widget()
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    if is_select:
        written = _attributes(widget.build_attrs(widget.attrs, attrs))
        return mark_safe(
            f'<select name="{escape(field.html_name)}"{written}>{select_options(field)}</select>'
        )
    shown = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    value = "" if shown["value"] is None else f' value="{escape(str(shown["value"]))}"'
    return mark_safe(
        f'<input type="{escape(shown["type"])}" name="{escape(field.html_name)}"{value}'
        f"{_attributes(shown['attrs'])}>"
    )


def _attributes(attrs: dict[str, object]) -> str:
    """HTML attributes as Django's widgets write them: True bare, False left out."""
    out = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        out.append(
            f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
        )
    return "".join(out)


def select_options(field: forms.BoundField) -> SafeString:
    """The <option>s of a filter's select, the chosen one selected: a filter of a city's
    grids lists ~1,000 of them."""
    chosen = field.value()
    chosen = "" if chosen is None else str(chosen)
    out = []
    for value, label in field.field.widget.choices:  # type: ignore[attr-defined]
        value = "" if value is None else str(value)
        selected = " selected" if value == chosen else ""
        out.append(f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>')
    return mark_safe("".join(out))  # every part escaped above
