"""The coverage page's filter (also read by the API) and the policy row form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import User
from anjian.coverage.models import PolicyPeriod, SourceTag
from anjian.coverage.services import CoverageQuery
from anjian.enterprises.models import RiskClass, Sector, StandardizationGrade
from anjian.lib.choices import limit_choices
from anjian.lib.forms import bootstrap
from anjian.lib.periods import Kind, Period, PeriodError
from anjian.regions.models import Grid, Region, RegionLevel


class CoverageFilter(forms.Form):
    period = forms.CharField(
        label=_("period"),
        required=False,
        help_text=_("2026Q3, 2026-07 or 2026"),
    )
    office = forms.ModelChoiceField(
        empty_label=_("All"), label=_("office"), queryset=Region.objects.none(), required=False
    )
    grid = forms.ModelChoiceField(
        empty_label=_("All"), label=_("grid"), queryset=Grid.objects.none(), required=False
    )
    state = forms.ChoiceField(
        label=_("enterprises"),
        required=False,
        choices=[
            ("", _("All")),
            ("required", _("To be checked")),
            ("due", _("Not yet covered")),
            ("unvisited", _("Not yet visited")),
            ("met", _("Covered")),
        ],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # Empty is this quarter: the box says which one.
        self.fields["period"].widget.attrs["placeholder"] = Period.current(Kind.QUARTER).code
        offices = Region.objects.visible_to(user).filter(level=RegionLevel.OFFICE)
        limit_choices(self.fields["office"], offices)
        limit_choices(self.fields["grid"], Grid.objects.visible_to(user))
        bootstrap(self, "form-select-sm form-control-sm")

    def clean_period(self) -> Period:
        text = self.cleaned_data.get("period") or ""
        if not text:
            return Period.current(Kind.QUARTER)
        try:
            return Period.parse(text)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def query(self) -> CoverageQuery:
        """Call after is_valid()."""
        data = self.cleaned_data
        return CoverageQuery(
            user=self.user,
            period=data["period"],
            office_id=data["office"].pk if data.get("office") else None,
            grid_id=data["grid"].pk if data.get("grid") else None,
        )

    def list_state(self) -> str:
        """The list's state (coverage.STATE_FILTERS), or "" for every listed enterprise."""
        return str(self.cleaned_data.get("state") or "")


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Any")), *choices]


class PolicyForm(forms.Form):
    sector = forms.ChoiceField(label=_("sector"), choices=_any(Sector.choices), required=False)
    risk_class = forms.ChoiceField(
        label=_("risk class"), choices=_any(RiskClass.choices), required=False
    )
    standardization_grade = forms.ChoiceField(
        label=_("standardization grade"), choices=_any(StandardizationGrade.choices), required=False
    )
    visits = forms.IntegerField(label=_("visits required"), min_value=0, max_value=100)
    period = forms.ChoiceField(label=_("per"), choices=PolicyPeriod.choices)
    source_tag = forms.ChoiceField(
        label=_("source tag"), choices=SourceTag.choices, initial=SourceTag.LOCAL
    )
    source = forms.CharField(label=_("source"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
