from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from anjian.accounts.permissions import can
from anjian.accounts.typing import AuthedRequest
from anjian.audit.models import Entry
from anjian.enterprises import services
from anjian.enterprises.filters import EnterpriseFilter
from anjian.enterprises.forms import EnterpriseForm, StatusChangeForm
from anjian.enterprises.models import Enterprise, EnterpriseQuerySet
from anjian.enterprises.pages import ENTERPRISE_PAGE
from anjian.enterprises.workflow import TransitionError, change_status
from anjian.lib.access import requires
from anjian.lib.errors import Conflict, NotAllowed
from anjian.lib.paging import page_from_request
from anjian.regions.models import Grid


def filtered_enterprises(request: AuthedRequest) -> tuple[EnterpriseFilter, EnterpriseQuerySet]:
    """The scoped registry narrowed by the filter form in the query string."""
    form = EnterpriseFilter(request.GET or None, user=request.user)
    qs = Enterprise.objects.visible_to(request.user)
    if form.is_valid():
        qs = form.apply(qs)
    return form, qs


@requires("registry.view")
def enterprise_list(request: AuthedRequest) -> HttpResponse:
    form, qs = filtered_enterprises(request)
    form.prepare_display()
    qs = qs.select_related("grid", "office").prefetch_related("tags")
    page, query = page_from_request(request, qs, key="name", with_count=True)
    template = "enterprises/_registry.html" if request.htmx else "enterprises/list.html"
    return render(
        request,
        template,
        {
            "filter": form,
            "page": page,
            "query": query,
            "can_edit": can(request.user, "registry.edit"),
            "can_import": can(request.user, "registry.import"),
        },
    )


@requires("registry.view")
def enterprise_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = services.get_enterprise_for(request.user, pk)
    tenants = Enterprise.objects.visible_to(request.user).filter(landlord=enterprise)
    # Links only to the pages the reader may open: an expert engaged by this enterprise
    # reads its file, not its grid's page nor its landlord's file.
    grid_link = (
        can(request.user, "regions.view")
        and Grid.objects.visible_to(request.user).filter(pk=enterprise.grid_id).exists()
    )
    landlord_link = (
        enterprise.landlord_id is not None
        and Enterprise.objects.visible_to(request.user).filter(pk=enterprise.landlord_id).exists()
    )
    history = Entry.objects.filter(object_type="enterprises.enterprise", object_id=str(pk))[:20]
    return render(
        request,
        "enterprises/detail.html",
        {
            "e": enterprise,
            "tenants": tenants,
            "grid_link": grid_link,
            "landlord_link": landlord_link,
            "history": history,
            "status_changes": enterprise.status_changes.select_related("by")[:20],
            "can_edit": can(request.user, "registry.edit"),
            "can_status": can(request.user, "registry.status"),
            "panels": ENTERPRISE_PAGE.render(request, enterprise),
        },
    )


@requires("registry.edit")
def enterprise_create(request: AuthedRequest) -> HttpResponse:
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.create_enterprise(form.cleaned_data, by=request.user)
        except NotAllowed as exc:
            raise PermissionDenied from exc
        messages.success(request, _("The enterprise has been registered."))
        return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/form.html", {"form": form})


@requires("registry.edit")
def enterprise_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = services.get_enterprise_for(request.user, pk, write=True)
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_enterprise(
                enterprise,
                form.cleaned_data,
                by=request.user,
                version=form.cleaned_data.get("version"),
            )
        except Conflict:
            form.add_error(
                None,
                _(
                    "Someone else changed this enterprise while you were editing. "
                    "Reload the page to see their changes."
                ),
            )
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("enterprises:detail", pk=pk)
    return render(request, "enterprises/form.html", {"form": form, "e": enterprise})


@requires("registry.status")
def enterprise_status(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = services.get_enterprise_for(request.user, pk)
    form = StatusChangeForm(request.POST or None, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change_status(
                enterprise,
                data["to"],
                on=data["effective_on"],
                reason=data["reason"],
                by=request.user,
                version=data.get("version"),
            )
        except TransitionError as exc:
            form.add_error(exc.field, str(exc))
        except Conflict:
            form.add_error(None, _("Someone else changed this enterprise first. Reload and retry."))
        else:
            messages.success(request, _("The status has been changed."))
            return redirect("enterprises:detail", pk=pk)
    return render(request, "enterprises/status.html", {"form": form, "e": enterprise})
