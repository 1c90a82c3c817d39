"""Validation of checklist and checklist item input, for the pages and the API alike."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.checklists.models import ChecklistItem, Determination, Verification
from anjian.enterprises.models import Sector, Tag
from anjian.lib.forms import bootstrap


def code_field(max_length: int) -> forms.RegexField:
    return forms.RegexField(
        label=_("code"),
        max_length=max_length,
        regex=r"^[A-Za-z0-9.\-_]+$",
        error_messages={"invalid": _("Use letters, digits, dots and hyphens.")},
    )


def tags_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("tags"),
        choices=Tag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for enterprises with one of these tags (none = every enterprise)."),
    )


class ItemForm(forms.Form):
    code = code_field(30)
    position = forms.IntegerField(
        label=_("position"),
        min_value=1,
        required=False,
        help_text=_("Leave empty to put the item last."),
    )
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 3}))
    clause = forms.CharField(label=_("clause"), max_length=50, required=False)
    determination = forms.ChoiceField(label=_("determination"), choices=Determination.choices)
    verification = forms.ChoiceField(label=_("source"), choices=Verification.choices)
    tags = tags_field()

    def __init__(self, *args: Any, item: ChecklistItem | None = None, **kwargs: Any) -> None:
        if item is not None and not args and "data" not in kwargs:
            kwargs["initial"] = {
                f: getattr(item, f)
                for f in ("code", "position", "text", "clause", "determination", "verification")
            } | {"tags": list(item.tags)}
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).strip()
        if not text:
            raise forms.ValidationError(_("An item needs its wording."))
        return text


class ChecklistForm(forms.Form):
    """A checklist of the zone: what it is called and which enterprises it applies to."""

    code = code_field(40)
    title = forms.CharField(label=_("title"), max_length=200)
    clause = forms.CharField(label=_("clause"), max_length=50, required=False)
    sectors = forms.MultipleChoiceField(
        label=_("sectors"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for enterprises of these sectors (none = every sector)."),
    )
    tags = tags_field()
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_title(self) -> str:
        title = str(self.cleaned_data["title"]).strip()
        if not title:
            raise forms.ValidationError(_("Give the checklist a title."))
        return title
