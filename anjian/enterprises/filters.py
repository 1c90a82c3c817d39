"""The registry's filters: one class, used by the list page, the export and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from ninja import Schema

from anjian.accounts.models import User
from anjian.enterprises.models import (
    EnterpriseQuerySet,
    Kind,
    RiskClass,
    Scale,
    Sector,
    Status,
    Tag,
)
from anjian.lib.choices import limit_choices
from anjian.lib.filters import query_schema
from anjian.lib.forms import bootstrap, with_all
from anjian.lib.search import contains
from anjian.regions.models import Grid, Region, RegionLevel

# The FTS5 mirror of name, credit code and address (SQLite; migration 0002).
SEARCH_TABLE = "enterprises_enterprise_fts"
# More villages or grids than this, and the drop-down waits for an office to be chosen.
NEARBY_LIMIT = 80


def search(qs: EnterpriseQuerySet, term: str) -> EnterpriseQuerySet:
    """Enterprises whose name, credit code or address contains `term` (the registry's FTS
    mirror where that is faster)."""
    like = Q(name__contains=term) | Q(uscc__contains=term.upper()) | Q(address__contains=term)
    return contains(qs, term, like, fts_table=SEARCH_TABLE)


TENANT_CHOICES = [
    ("yes", _("Tenants (renting premises)")),
    ("no", _("Not tenants")),
]


class EnterpriseFilter(forms.Form):
    office = forms.ModelChoiceField(
        empty_label=_("All"), label=_("office"), queryset=Region.objects.none(), required=False
    )
    village = forms.ModelChoiceField(
        empty_label=_("All"),
        label=_("village / community"),
        queryset=Region.objects.none(),
        required=False,
    )
    grid = forms.ModelChoiceField(
        empty_label=_("All"), label=_("grid"), queryset=Grid.objects.none(), required=False
    )
    sector = forms.ChoiceField(label=_("sector"), choices=with_all(Sector.choices), required=False)
    tag = forms.ChoiceField(label=_("tag"), choices=with_all(Tag.choices), required=False)
    risk_class = forms.ChoiceField(
        label=_("risk class"), choices=with_all(RiskClass.choices), required=False
    )
    status = forms.ChoiceField(label=_("status"), choices=with_all(Status.choices), required=False)
    scale = forms.ChoiceField(label=_("scale"), choices=with_all(Scale.choices), required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=with_all(Kind.choices), required=False)
    tenant = forms.ChoiceField(label=_("tenancy"), choices=with_all(TENANT_CHOICES), required=False)
    q = forms.CharField(label=_("search"), required=False, max_length=100)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = Region.objects.visible_to(user)
        villages = regions.filter(level=RegionLevel.VILLAGE)
        grids = Grid.objects.visible_to(user)
        offices = regions.filter(level=RegionLevel.OFFICE)
        limit_choices(self.fields["office"], offices)
        limit_choices(self.fields["village"], villages)
        limit_choices(self.fields["grid"], grids)
        self.scoped = (villages, grids, offices)

    def prepare_display(self) -> None:
        """Set up the drop-downs for the page (the API and exports skip this).

        Offers only the villages and grids under the chosen office or village.

        Any grid in scope is still accepted (the API filters by id); this only keeps a city's
        thousand grids out of every page's drop-down (rendering them took ~130 ms).
        """
        villages, grids, _offices = self.scoped
        bootstrap(self, "form-select-sm form-control-sm")
        office, village = self.data.get("office"), self.data.get("village")
        if village and str(village).isdecimal():
            grids = grids.filter(village_id=village)
        elif office and str(office).isdecimal():
            grids = grids.filter(office_id=office)
        if office and str(office).isdecimal():
            villages = villages.filter(parent_id=office)
        office_widget = self.fields["office"].widget
        assert isinstance(office_widget, forms.Select)
        office_widget.choices = with_all(self.scoped[2].values_list("id", "name"))
        for name, qs in (("village", villages), ("grid", grids)):
            options = list(qs.values_list("id", "name")[: NEARBY_LIMIT + 1])
            widget = self.fields[name].widget
            assert isinstance(widget, forms.Select)
            if len(options) > NEARBY_LIMIT:
                options = []
                chosen = self.data.get(name)
                if chosen and str(chosen).isdecimal():
                    options = list(qs.filter(pk=chosen).values_list("id", "name"))
                widget.choices = [("", _("Choose an office first")), *options]
            else:
                widget.choices = with_all(options)

    def condition(self) -> Q:
        """The enterprises the filters keep, but for the search term: the list filters by
        it, the statistics count by it. Call after is_valid()."""
        data = self.cleaned_data
        q = Q()
        for field in ("office", "village", "grid"):
            if data.get(field) is not None:
                q &= Q(**{field: data[field]})
        for field in ("sector", "risk_class", "status", "scale", "kind"):
            if data.get(field):
                q &= Q(**{field: data[field]})
        if data.get("tenant"):
            q &= Q(landlord__isnull=data["tenant"] == "no")
        if data.get("tag"):
            # A join, not `id IN (subquery)`: SQLite plans the join far better, and the
            # (enterprise, tag) unique constraint means it cannot duplicate rows.
            q &= Q(tags__tag=data["tag"])
        return q

    def apply(self, qs: EnterpriseQuerySet) -> EnterpriseQuerySet:
        """Narrow an already scoped queryset. Call after is_valid()."""
        qs = qs.filter(self.condition())
        term = (self.cleaned_data.get("q") or "").strip()
        if term:
            qs = search(qs, term)
        return qs

    def error_list(self) -> list[dict[str, str]]:
        return [
            {"field": field, "message": str(msg)}
            for field, msgs in self.errors.items()
            for msg in msgs
        ]


@query_schema(EnterpriseFilter)
class FilterQuery(Schema):
    pass
