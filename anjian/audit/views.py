from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from anjian.audit.models import Channel, Entry
from anjian.lib.access import requires
from anjian.lib.forms import with_all
from anjian.lib.paging import page_from_request


class EntryFilter(forms.Form):
    action = forms.CharField(label=_("action"), required=False)
    object_type = forms.CharField(label=_("object type"), required=False)
    actor = forms.CharField(label=_("who"), required=False)
    channel = forms.ChoiceField(label=_("from"), required=False, choices=with_all(Channel.choices))
    since = forms.DateField(
        label=_("since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    client_ip = forms.GenericIPAddressField(label=_("client address"), required=False)

    def apply(self, qs):  # type: ignore[no-untyped-def]
        d = self.cleaned_data
        if d.get("action"):
            qs = qs.filter(action__startswith=d["action"])
        if d.get("object_type"):
            qs = qs.filter(object_type=d["object_type"])
        if d.get("actor"):
            qs = qs.filter(actor_name__contains=d["actor"])
        if d.get("channel"):
            qs = qs.filter(channel=d["channel"])
        if d.get("since"):
            qs = qs.filter(at__date__gte=d["since"])
        if d.get("client_ip"):
            qs = qs.filter(client_ip=d["client_ip"])
        return qs


@requires("audit.view")
def entry_list(request: HttpRequest) -> HttpResponse:
    """The zone's audit trail, newest first. Read-only: there is no way to edit an entry."""
    form = EntryFilter(request.GET or None)
    qs = Entry.objects.visible_to(request.user)
    if form.is_valid():
        qs = form.apply(qs)
    page, query = page_from_request(request, qs, key="at", descending=True)
    return render(request, "audit/list.html", {"filter": form, "page": page, "query": query})
