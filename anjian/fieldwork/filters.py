"""The visit list's filters: one form for the list page and the API (its query schema is
generated from it), and the condition the statistics count visits by."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from ninja import Schema

from anjian.accounts.models import User
from anjian.enterprises.models import Enterprise
from anjian.fieldwork.models import Outcome, VisitKind
from anjian.lib.choices import limit_choices
from anjian.lib.filters import query_schema
from anjian.lib.forms import with_all
from anjian.regions.models import Grid, Region, RegionLevel

CHECK_CHOICES = [
    ("checks", _("Checks (the door was open)")),
    ("other", _("Not checked (closed, locked, moved …)")),
]


class VisitFilter(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=with_all(VisitKind.choices), required=False)
    outcome = forms.ChoiceField(
        label=_("outcome"), choices=with_all(Outcome.choices + CHECK_CHOICES), required=False
    )
    office = forms.ModelChoiceField(
        empty_label=_("All"), label=_("office"), queryset=Region.objects.none(), required=False
    )
    grid = forms.ModelChoiceField(
        empty_label=_("All"), label=_("grid"), queryset=Grid.objects.none(), required=False
    )
    enterprise = forms.ModelChoiceField(
        empty_label=_("All"),
        label=_("enterprise"),
        queryset=Enterprise.objects.none(),
        required=False,
        widget=forms.NumberInput,
    )
    visited_from = forms.DateField(
        label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    visited_to = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    mine = forms.BooleanField(label=_("recorded by me"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        limit_choices(
            self.fields["office"],
            Region.objects.visible_to(user).filter(level=RegionLevel.OFFICE),
        )
        limit_choices(self.fields["grid"], Grid.objects.visible_to(user))
        limit_choices(self.fields["enterprise"], Enterprise.objects.visible_to(user))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("visited_from"), data.get("visited_to")
        if start and end and start > end:
            self.add_error("visited_to", _("The end of the range is before its start."))
        return data

    def condition(self) -> Q:
        """The visits the filters keep: the list filters by it, the statistics count by it."""
        d = self.cleaned_data
        q = Q()
        if d.get("kind"):
            q &= Q(kind=d["kind"])
        outcome = d.get("outcome")
        if outcome == "checks":
            q &= Q(outcome=Outcome.INSPECTED)
        elif outcome == "other":
            q &= ~Q(outcome=Outcome.INSPECTED)
        elif outcome:
            q &= Q(outcome=outcome)
        for name in ("office", "grid", "enterprise"):
            if d.get(name) is not None:
                q &= Q(**{name: d[name]})
        if d.get("visited_from"):
            q &= Q(visited_on__gte=d["visited_from"])
        if d.get("visited_to"):
            q &= Q(visited_on__lte=d["visited_to"])
        if d.get("mine"):
            q &= Q(recorded_by=self.user)
        return q


@query_schema(VisitFilter)
class VisitQuery(Schema):
    pass
