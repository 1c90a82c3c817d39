"""Checklist pages: the list, a version with its items, and draft editing for zone admins."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.permissions import can
from anjian.accounts.typing import AuthedRequest
from anjian.checklists import services
from anjian.checklists.forms import ChecklistForm, ItemForm
from anjian.checklists.models import Checklist, ChecklistItem, ChecklistVersion, VersionStatus
from anjian.enterprises.models import Enterprise
from anjian.enterprises.services import get_enterprise_for
from anjian.lib.access import requires


def listing(user: Any) -> list[dict[str, Any]]:
    """Each checklist with the versions the user may see (newest first) and item counts."""
    versions: dict[int, list[Any]] = {}
    rows = (
        ChecklistVersion.objects.visible_to(user)
        .annotate(item_count=Count("items"))
        .order_by("checklist_id", "-number")
        .values("id", "checklist_id", "number", "status", "published_at", "item_count")
    )
    for v in rows:
        versions.setdefault(v["checklist_id"], []).append(v)
    return [
        {"checklist": c, "versions": versions.get(c.pk, [])}
        for c in Checklist.objects.visible_to(user)
        .select_related("standard")
        .order_by("zone_id", "code")
    ]


@requires("checklists.view")
def checklist_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "checklists/list.html",
        {"rows": listing(request.user), "can_manage": can(request.user, "checklists.manage")},
    )


def _enterprise(request: AuthedRequest) -> Enterprise | None:
    raw = request.GET.get("enterprise", "")
    if not raw:
        return None
    if not raw.isdecimal():
        raise Http404("enterprise")
    return get_enterprise_for(request.user, int(raw))


@requires("checklists.view")
def version_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    version = services.get_version_for(request.user, pk)
    enterprise = _enterprise(request)
    items = services.items_for(version, enterprise)
    siblings = ChecklistVersion.objects.visible_to(request.user).filter(
        checklist_id=version.checklist_id
    )
    return render(
        request,
        "checklists/version.html",
        {
            "version": version,
            "items": items,
            "enterprise": enterprise,
            "siblings": siblings,
            "can_manage": services.may_edit(request.user, version.checklist),
            "can_adapt": can(request.user, "checklists.manage")
            and version.status != VersionStatus.DRAFT,
            "has_draft": any(s.status == VersionStatus.DRAFT for s in siblings),
        },
    )


@requires("checklists.manage")
def checklist_create(request: AuthedRequest) -> HttpResponse:
    """Start a checklist of the admin's zone, empty or from a version they can read
    (`?from=<version id>`, e.g. a platform standard adapted to local practice)."""
    raw = request.GET.get("from", "")
    source = services.get_version_for(request.user, int(raw)) if raw.isdecimal() else None
    initial = None
    if source is not None:
        c = source.checklist
        initial = {"title": c.title, "clause": c.clause, "sectors": c.sectors, "tags": c.tags}
    form = ChecklistForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.create_checklist(
                form.cleaned_data, by=request.user, from_version=source
            )
        except services.VersionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("The checklist of your zone has been started as a draft."))
            return redirect("checklists:version", pk=draft.pk)
    return render(request, "checklists/checklist_form.html", {"form": form, "source": source})


def _editable(request: AuthedRequest, version: ChecklistVersion) -> ChecklistVersion:
    """The version, if the user's zone owns its checklist (403 for the platform's)."""
    if not services.may_edit(request.user, version.checklist):
        raise PermissionDenied(
            _("The platform's checklists are not changed by a zone: adapt one for your zone.")
        )
    return version


@require_POST
@requires("checklists.manage")
def draft_create(request: AuthedRequest, pk: int) -> HttpResponse:
    version = _editable(request, services.get_version_for(request.user, pk))
    try:
        draft = services.new_draft(version, by=request.user)
    except services.VersionError as exc:
        messages.error(request, str(exc))
        return redirect("checklists:version", pk=pk)
    messages.success(request, _("A new draft has been started."))
    return redirect("checklists:version", pk=draft.pk)


@require_POST
@requires("checklists.manage")
def publish(request: AuthedRequest, pk: int) -> HttpResponse:
    version = _editable(request, services.get_version_for(request.user, pk))
    try:
        services.publish_version(version, by=request.user)
    except services.VersionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The version has been published."))
    return redirect("checklists:version", pk=pk)


def _item_for(request: AuthedRequest, pk: int) -> ChecklistItem:
    item = ChecklistItem.objects.filter(pk=pk).select_related("version").first()
    if item is None:
        raise Http404("item")
    _editable(request, services.get_version_for(request.user, item.version_id))
    return item


def _item_page(
    request: AuthedRequest, version: ChecklistVersion, item: ChecklistItem | None
) -> HttpResponse:
    if version.status != VersionStatus.DRAFT:
        messages.error(request, str(services.ImmutableVersion()))
        return redirect("checklists:version", pk=version.pk)
    form = ItemForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                services.add_item(version, form.cleaned_data, by=request.user)
            else:
                services.edit_item(item, form.cleaned_data, by=request.user)
        except services.VersionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("The item has been saved."))
            return redirect("checklists:version", pk=version.pk)
    return render(
        request, "checklists/item_form.html", {"form": form, "version": version, "item": item}
    )


@requires("checklists.manage")
def item_add(request: AuthedRequest, pk: int) -> HttpResponse:
    version = _editable(request, services.get_version_for(request.user, pk))
    return _item_page(request, version, None)


@requires("checklists.manage")
def item_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    return _item_page(request, item.version, item)


@require_POST
@requires("checklists.manage")
def item_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    try:
        services.remove_item(item, by=request.user)
    except services.VersionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The item has been removed."))
    return redirect("checklists:version", pk=item.version_id)
