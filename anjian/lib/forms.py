"""Small helpers for Django forms."""

from django import forms

CHECKS = (forms.CheckboxSelectMultiple, forms.RadioSelect, forms.CheckboxInput)


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
