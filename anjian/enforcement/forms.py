"""The forms of the notice pages: issuing one, and recording its service."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import User
from anjian.enforcement.models import NoticeType
from anjian.enforcement.notices import types_for
from anjian.hazards.models import Hazard
from anjian.lib.forms import bootstrap


class HazardChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        due = f" · {obj.deadline:%Y-%m-%d}" if obj.deadline else ""
        return f"{obj.name}{due}"


class IssueNoticeForm(forms.Form):
    type = forms.ChoiceField(label=_("document"))
    hazards = HazardChoiceField(
        queryset=Hazard.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("hazards")
    )
    deadline = forms.DateField(
        label=_("rectify by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the latest deadline of the chosen hazards."),
    )
    requirements = forms.CharField(
        label=_("requirements"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: User, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = types_for(user)
        cast(forms.ChoiceField, self.fields["type"]).choices = [
            (t, NoticeType(t).label) for t in types
        ]
        cast(HazardChoiceField, self.fields["hazards"]).queryset = candidates
        bootstrap(self)


class ServeNoticeForm(forms.Form):
    served_on = forms.DateField(
        label=_("served on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    received_by = forms.CharField(label=_("received by"), max_length=50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
