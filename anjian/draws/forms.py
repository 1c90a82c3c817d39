"""The double-random draw form: the object list comes from the registry filter beside it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import User
from anjian.draws.services import SEED_LIMIT, eligible_officers
from anjian.lib.choices import limit_choices


class DrawForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    size = forms.IntegerField(label=_("enterprises to draw"), min_value=1)
    officers = forms.ModelMultipleChoiceField(
        label=_("inspector list"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to draw from every certified officer of your area."),
    )
    seed = forms.IntegerField(
        label=_("seed"),
        min_value=0,
        max_value=SEED_LIMIT - 1,
        required=False,
        help_text=_("Leave empty for a random seed; give one only to repeat a draw."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["officers"], eligible_officers(user))
        for name in ("title", "size", "seed"):
            self.fields[name].widget.attrs["class"] = "form-control"
