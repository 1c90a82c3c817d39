"""The ledger's filters: one class for the ledger page, its exports and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import User
from anjian.enterprises.models import Enterprise, Sector, Tag
from anjian.hazards.models import (
    OPEN,
    HazardQuerySet,
    HazardType,
    Level,
    Source,
    Status,
)
from anjian.lib.choices import limit_choices
from anjian.regions.models import Grid, Region, RegionLevel


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("All")), *choices]


STATE_CHOICES = [
    ("open", _("Open")),
    ("overdue", _("Overdue")),
    ("closed", _("Closed")),
    *Status.choices,
]


class HazardFilter(forms.Form):
    state = forms.ChoiceField(label=_("status"), choices=_blank(STATE_CHOICES), required=False)
    level = forms.ChoiceField(label=_("level"), choices=_blank(Level.choices), required=False)
    office = forms.ModelChoiceField(
        label=_("office"), queryset=Region.objects.none(), required=False
    )
    grid = forms.ModelChoiceField(label=_("grid"), queryset=Grid.objects.none(), required=False)
    enterprise = forms.ModelChoiceField(
        label=_("enterprise"),
        queryset=Enterprise.objects.none(),
        required=False,
        widget=forms.NumberInput,
    )
    source = forms.ChoiceField(label=_("source"), choices=_blank(Source.choices), required=False)
    hazard_type = forms.ChoiceField(
        label=_("hazard type"), choices=_blank(HazardType.choices), required=False
    )
    sector = forms.ChoiceField(label=_("sector"), choices=_blank(Sector.choices), required=False)
    tag = forms.ChoiceField(label=_("tag"), choices=_blank(Tag.choices), required=False)
    found_from = forms.DateField(
        label=_("found from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    found_to = forms.DateField(
        label=_("found to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline_to = forms.DateField(
        label=_("deadline by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label=_("search"), required=False, max_length=100)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = Region.objects.visible_to(user)
        limit_choices(self.fields["office"], regions.filter(level=RegionLevel.OFFICE))
        limit_choices(self.fields["grid"], Grid.objects.visible_to(user))
        limit_choices(self.fields["enterprise"], Enterprise.objects.visible_to(user))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("found_from"), data.get("found_to")
        if start and end and start > end:
            self.add_error("found_to", _("The end of the range is before its start."))
        return data

    def apply(self, qs: HazardQuerySet) -> HazardQuerySet:
        d = self.cleaned_data
        state = d.get("state")
        if state == "open":
            qs = qs.filter(status__in=OPEN)
        elif state == "overdue":
            qs = qs.overdue(timezone.localdate())
        elif state == "closed":
            qs = qs.closed()
        elif state:
            qs = qs.filter(status=state)
        for name in ("level", "source", "hazard_type"):
            if d.get(name):
                qs = qs.filter(**{name: d[name]})
        for name in ("office", "grid", "enterprise"):
            if d.get(name) is not None:
                qs = qs.filter(**{name: d[name]})
        if d.get("sector"):
            qs = qs.filter(enterprise__sector=d["sector"])
        if d.get("tag"):
            qs = qs.filter(enterprise__tags__tag=d["tag"])
        if d.get("found_from"):
            qs = qs.filter(found_on__gte=d["found_from"])
        if d.get("found_to"):
            qs = qs.filter(found_on__lte=d["found_to"])
        if d.get("deadline_to"):
            qs = qs.filter(deadline__lte=d["deadline_to"])
        term = (d.get("q") or "").strip()
        if term:
            qs = qs.filter(
                Q(name__contains=term)
                | Q(description__contains=term)
                | Q(location__contains=term)
                | Q(enterprise__name__contains=term)
            )
        return qs
