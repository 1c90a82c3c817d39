"""The ledger's filters: one class for the ledger page, its exports and the API."""

from __future__ import annotations

import copy
import datetime
from typing import Any, TypeVar

from django import forms
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from ninja import Schema

from anjian.accounts.models import User
from anjian.enterprises.filters import SEARCH_TABLE as ENTERPRISE_SEARCH_TABLE
from anjian.enterprises.models import Enterprise, Sector, Tag
from anjian.hazards.models import (
    OPEN,
    Finder,
    Hazard,
    HazardQuerySet,
    HazardType,
    Level,
    ManagementClass,
    Source,
    Status,
)
from anjian.lib.api import InputError, form_errors
from anjian.lib.choices import limit_choices
from anjian.lib.filters import query_schema
from anjian.lib.forms import id_field, with_all
from anjian.lib.search import fts_candidates
from anjian.regions.models import Grid, Region, RegionLevel

STATE_CHOICES = [
    ("open", pgettext_lazy("hazard state", "Open")),
    ("overdue", _("Overdue")),
    ("closed", pgettext_lazy("hazard state", "Closed")),
    # Waiting for a decision: a general hazard's fix to accept, a major one's write-off review.
    ("awaiting", _("Awaiting acceptance or review")),
    # Every hazard but the voided ones (recorded in error): what "hazards found" counts.
    ("valid", _("All but void")),
    # Each status by its own value, but "closed": that value is the state above (accepted or
    # written off), and a general hazard's "accepted and closed" is it with level general.
    *((v, label) for v, label in Status.choices if v != Status.CLOSED),
]
AWAITING = (Status.SUBMITTED, Status.UNDER_REVIEW)
ON_TIME_CHOICES = [
    ("yes", _("Rectified by the deadline")),
    ("no", _("Rectified after the deadline")),
]


FieldT = TypeVar("FieldT", bound=forms.Field)


def _shallow_field_copy(field: FieldT, memo: dict[int, Any]) -> FieldT:
    """A field's copy for one form, as Field.__deepcopy__ and Widget.__deepcopy__ make it,
    but sharing the choices or queryset instead of copying them."""
    result = copy.copy(field)
    memo[id(field)] = result
    result.widget = copy.copy(field.widget)
    result.widget.attrs = field.widget.attrs.copy()
    result.error_messages = field.error_messages.copy()
    result.validators = field.validators[:]
    return result


class FixedChoiceField(forms.ChoiceField):
    """A choice field whose choices are the same for every form.

    Django deep-copies every field of every form it builds, and a choice field copies and
    re-normalizes its choices twice (field and widget): for the ledger's ~70 translated
    choices that was the largest part of the list API's own time. This copy shares the
    (never mutated) choices and copies the rest as Field.__deepcopy__ and Widget.__deepcopy__
    do, so each form still has its own widget attributes.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> FixedChoiceField:
        return _shallow_field_copy(self, memo)


class ScopedChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A model choice field whose queryset each form narrows to the user's scope
    (limit_choices). Django's copy clones the class-level `.none()` queryset for every form
    only for the form to replace it; this copy shares it, as FixedChoiceField shares its
    choices, and gives the copy's widget choices of its own."""

    def __deepcopy__(self, memo: dict[int, Any]) -> ScopedChoiceField:
        result = _shallow_field_copy(self, memo)
        result.widget.choices = result.choices
        return result


SORT_CHOICES = [
    ("", _("Newest found first")),
    ("found_on", _("Oldest found first")),
    ("deadline", _("Nearest deadline first")),
    ("-deadline", _("Latest deadline first")),
]
# A hazard without a deadline (a major hazard not yet planned) sorts after every date.
NO_DEADLINE = datetime.date(9999, 12, 31)


class HazardFilter(forms.Form):
    state = FixedChoiceField(label=_("status"), choices=with_all(STATE_CHOICES), required=False)
    level = FixedChoiceField(label=_("level"), choices=with_all(Level.choices), required=False)
    office = ScopedChoiceField(
        empty_label=_("All"), label=_("office"), queryset=Region.objects.none(), required=False
    )
    grid = ScopedChoiceField(
        empty_label=_("All"), label=_("grid"), queryset=Grid.objects.none(), required=False
    )
    enterprise = ScopedChoiceField(
        empty_label=_("All"),
        label=_("enterprise"),
        queryset=Enterprise.objects.none(),
        required=False,
        widget=forms.NumberInput,
    )
    source = FixedChoiceField(label=_("source"), choices=with_all(Source.choices), required=False)
    hazard_type = FixedChoiceField(
        label=_("hazard type"), choices=with_all(HazardType.choices), required=False
    )
    sector = FixedChoiceField(label=_("sector"), choices=with_all(Sector.choices), required=False)
    tag = FixedChoiceField(label=_("tag"), choices=with_all(Tag.choices), required=False)
    found_from = forms.DateField(
        label=_("found from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    found_to = forms.DateField(
        label=_("found to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline_to = forms.DateField(
        label=_("deadline by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closed_from = forms.DateField(
        label=_("closed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closed_to = forms.DateField(
        label=_("closed to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    on_time = FixedChoiceField(
        label=_("on time"), choices=with_all(ON_TIME_CHOICES), required=False
    )
    finder = FixedChoiceField(label=_("found by"), choices=with_all(Finder.choices), required=False)
    management_class = FixedChoiceField(
        label=_("management class"), choices=with_all(ManagementClass.choices), required=False
    )
    mine = forms.BooleanField(label=_("found by me"), required=False)
    # One person's finds: the statistics' breakdown by person links here (an id, kept
    # hidden on the filter bar).
    found_by = id_field(_("found by (person)"), widget=forms.HiddenInput)
    extension = forms.BooleanField(label=_("extension requested"), required=False)
    q = forms.CharField(label=_("search"), required=False, max_length=100)
    sort = FixedChoiceField(label=_("order"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, user: User, render: bool = True, **kwargs: Any) -> None:
        """`render=False` for a form that is only validated and applied (the API): then only
        the office, grid and enterprise given are looked up in the user's scope, and the
        choices of the others, which nothing reads, are not built."""
        super().__init__(*args, **kwargs)
        self.user = user
        scoped = {
            "office": lambda: Region.objects.visible_to(user).filter(level=RegionLevel.OFFICE),
            "grid": lambda: Grid.objects.visible_to(user),
            "enterprise": lambda: Enterprise.objects.visible_to(user),
        }
        for name, choices in scoped.items():
            if render or self.data.get(name) not in (None, ""):
                limit_choices(self.fields[name], choices())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for start, end in (("found_from", "found_to"), ("closed_from", "closed_to")):
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, _("The end of the range is before its start."))
        return data

    def condition(self) -> Q:
        """The hazards the filters keep, as one condition: the list filters the user's ledger
        by it, and the statistics count by it (each figure is its list's count)."""
        d = self.cleaned_data
        q = STATES.get(d.get("state") or "", lambda: Q(status=d["state"]))()
        for name in ("level", "source", "hazard_type", "finder", "management_class"):
            if d.get(name):
                q &= Q(**{name: d[name]})
        for name in ("office", "grid", "enterprise"):
            if d.get(name) is not None:
                q &= Q(**{name: d[name]})
        if d.get("sector"):
            q &= Q(enterprise__sector=d["sector"])
        if d.get("tag"):
            q &= Q(enterprise__tags__tag=d["tag"])
        if d.get("found_from"):
            q &= Q(found_on__gte=d["found_from"])
        if d.get("found_to"):
            q &= Q(found_on__lte=d["found_to"])
        if d.get("deadline_to"):
            q &= Q(deadline__lte=d["deadline_to"])
        # Closed on a day of the zone's calendar: from the start of the first day to the
        # start of the day after the last (closed_at is a moment; the index reads a range).
        if d.get("closed_from"):
            q &= Q(closed_at__gte=start_of_day(d["closed_from"]))
        if d.get("closed_to"):
            q &= Q(closed_at__lt=start_of_day(d["closed_to"] + datetime.timedelta(days=1)))
        if d.get("on_time"):
            q &= ON_TIME[d["on_time"]]
        if d.get("mine"):
            q &= Q(found_by=self.user)
        if d.get("found_by") is not None:
            q &= Q(found_by_id=d["found_by"])
        if d.get("extension"):
            q &= Q(extension_requested_until__isnull=False)
        term = (d.get("q") or "").strip()
        if term:
            q &= text_matches(term)
        return q

    def apply(self, qs: HazardQuerySet) -> HazardQuerySet:
        return qs.filter(self.condition())


def start_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment of `day` on the zone's calendar."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# Each state as a condition (the queryset methods' own conditions, so the partial indexes on
# open hazards still serve them).
STATES = {
    "": Q,
    "open": lambda: Q(status__in_literal=OPEN),
    "overdue": lambda: Q(status__in_literal=OPEN, deadline__lt=timezone.localdate()),
    "closed": lambda: Q(status__in=[Status.CLOSED, Status.WRITTEN_OFF]),
    "awaiting": lambda: Q(status__in=AWAITING),
    "valid": lambda: ~Q(status=Status.VOID),
}
# Rectified on time: closed on or before the deadline's day; a hazard fixed on the spot has
# no deadline and is on time. Late: closed after it.
CLOSED = Q(status__in=[Status.CLOSED, Status.WRITTEN_OFF])
ON_TIME = {
    "yes": CLOSED & (Q(deadline__isnull=True) | Q(closed_at__date__lte=F("deadline"))),
    "no": CLOSED & Q(deadline__isnull=False, closed_at__date__gt=F("deadline")),
}


def text_matches(term: str) -> Q:
    """Hazards whose name, description or location, or whose enterprise's name, contain
    `term`: the same rows as the plain OR of the four `contains`, found faster.

    For terms of 3+ characters the enterprise's name is one subquery computed before the
    scan (its candidates found through the registry's FTS table on SQLite, its trigram index
    on PostgreSQL; the LIKE still decides) rather than a join checked row by row. Then every
    arm of the OR reads a column of the hazard itself, which the indexes of hazards
    migration 0007 serve: on SQLite the office's index carries those columns, so the office's
    rows that do not match are rejected in the index without reading the table; PostgreSQL
    can combine the arms from its trigram index and read only the office's matching rows when
    that is cheaper than its newest-first walk. A shorter term has no trigram to look up: it
    keeps the join, which stops at the first page of matches.
    """
    own = Q(name__contains=term) | Q(description__contains=term) | Q(location__contains=term)
    if len(term) < 3:
        return own | Q(enterprise__name__contains=term)
    named = fts_candidates(
        Enterprise.objects.filter(name__contains=term), term, ENTERPRISE_SEARCH_TABLE, "name"
    )
    return own | Q(enterprise__in_once=named.values("id"))


def filtered_ledger(
    data: Any, user: Any, *, render: bool = False
) -> tuple[HazardFilter, HazardQuerySet | None]:
    """The user's ledger narrowed by the filters in `data` (None when they are bad), with the
    form that read them: the one lookup of the API, the exports and the pages."""
    form = HazardFilter(data, user=user, render=render)
    if not form.is_valid():
        return form, None
    return form, form.apply(Hazard.objects.visible_to(user))


def ordered(form: HazardFilter, qs: HazardQuerySet) -> tuple[HazardQuerySet, str, bool]:
    """The ledger in the order asked for: (queryset, keyset key, descending).

    Every order ends with the id, so keyset paging stays exact; newest first (the default)
    is the one the (scope, found_on, id) indexes serve.
    """
    sort = form.cleaned_data.get("sort", "") if form.is_valid() else ""
    if sort in ("deadline", "-deadline"):
        qs = qs.annotate(deadline_key=Coalesce("deadline", Value(NO_DEADLINE)))
        return qs, "deadline_key", sort.startswith("-")
    if sort == "found_on":
        return qs, "found_on", False
    return qs, "found_on", True


@query_schema(HazardFilter)
class LedgerQuery(Schema):
    pass


def ledger_form(user: Any, filters: LedgerQuery) -> tuple[HazardFilter, HazardQuerySet]:
    """The API's filter form and the user's ledger narrowed by it; bad filters are a 422."""
    form, qs = filtered_ledger(filters.dict(exclude_none=True), user)
    if qs is None:
        raise InputError(form_errors(form))
    return form, qs
