import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import Role, User
from anjian.accounts.scope import scope_of
from anjian.lib.choices import limit_choices
from anjian.regions.models import GridRole, validate_geojson

CODE_HELP = _("Letters and digits; it becomes part of the region's path and cannot change.")


class RegionForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    code = forms.RegexField(
        label=_("code"),
        regex=r"^[A-Za-z0-9]{1,20}$",
        help_text=CODE_HELP,
        error_messages={"invalid": _("Use 1–20 letters or digits.")},
    )


class GridForm(RegionForm):
    boundary = forms.CharField(
        label=_("boundary (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_geojson],
    )


class AssignForm(forms.Form):
    person = forms.ModelChoiceField(label=_("person"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("role"), choices=GridRole.choices)
    starts_on = forms.DateField(
        label=_("starts on"),
        initial=datetime.date.today,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, by: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Grid workers of this zone: those with a term here, and those without any term yet.
        zone_id = scope_of(by).zone_id
        people = User.objects.filter(role=Role.GRID_WORKER, is_active=True)
        in_zone = people.filter(grid_assignments__grid__zone_id=zone_id)
        # Without a term, only the account's own zone says where the person belongs.
        unplaced = people.filter(grid_assignments__isnull=True, zone_id=zone_id)
        limit_choices(self.fields["person"], (in_zone | unplaced).distinct().order_by("username"))


class EndTermForm(forms.Form):
    ends_on = forms.DateField(label=_("ends on"), widget=forms.DateInput(attrs={"type": "date"}))
