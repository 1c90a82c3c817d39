"""The notice list's filters: one form for the list page and the API (its query schema is
generated from it), and the condition the statistics count notices by."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from ninja import Schema

from anjian.accounts.models import User
from anjian.enforcement.models import Notice, NoticeQuerySet, NoticeType
from anjian.lib.filters import query_schema
from anjian.lib.forms import id_field, with_all

# Service (送达) is a notice's only state: issued and not yet served, or served.
STATE_CHOICES = [
    ("unserved", _("To serve")),
    ("served", _("Served")),
]
STATES = {
    "unserved": Q(served_on__isnull=True),
    "served": Q(served_on__isnull=False),
}


class NoticeFilter(forms.Form):
    state = forms.ChoiceField(label=_("service"), choices=with_all(STATE_CHOICES), required=False)
    type = forms.ChoiceField(label=_("type"), choices=with_all(NoticeType.choices), required=False)
    # By id, as links from an enterprise's, a visit's or a hazard's page give them. The rows
    # are the user's notices already, so an id out of scope finds nothing rather than erring
    # (as the API has answered since it was published).
    enterprise = id_field(_("enterprise"))
    visit = id_field(_("visit"))
    hazard = id_field(_("hazard"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        # (`user`: every list's filter is made for its reader; the notices are scoped by
        # the rows they filter.)
        super().__init__(*args, **kwargs)

    def condition(self) -> Q:
        """The notices the filters keep: the list filters by it, the statistics count by it."""
        d = self.cleaned_data
        q = Q()
        if d.get("state"):
            q &= STATES[d["state"]]
        if d.get("type"):
            q &= Q(type=d["type"])
        for name in ("enterprise", "visit"):
            if d.get(name) is not None:
                q &= Q(**{f"{name}_id": d[name]})
        if d.get("hazard") is not None:
            # A subquery, not a join: a notice names several hazards, and a join would count
            # each notice once per hazard in the statistics' filtered COUNTs.
            named = Notice.hazards.through.objects.filter(hazard_id=d["hazard"])
            q &= Q(pk__in=named.values("notice_id"))
        return q


def filtered_notices(data: Any, user: User) -> tuple[NoticeFilter, NoticeQuerySet | None]:
    """The user's notices narrowed by the filters in `data` (None when they are bad), with
    the form that read them: the one lookup of the list page and the API."""
    form = NoticeFilter(data, user=user)
    if not form.is_valid():
        return form, None
    return form, Notice.objects.visible_to(user).filter(form.condition())


@query_schema(NoticeFilter)
class NoticeQuery(Schema):
    pass
