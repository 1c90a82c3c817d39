"""The ledger page, the hazard page with its timeline and action forms, and its photos."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.permissions import can
from anjian.accounts.typing import AuthedRequest
from anjian.evidence import services as evidence
from anjian.evidence.services import EvidenceError
from anjian.hazards import origins, workflow
from anjian.hazards.filters import HazardFilter, ordered
from anjian.hazards.forms import ActionForm, chosen_filters, column_label, prepare_ledger_filter
from anjian.hazards.models import Hazard, HazardEvent, Status
from anjian.hazards.pages import HAZARD_PAGE, LEDGER_COLUMNS, LEDGER_PAGE, LedgerRow
from anjian.lib.access import requires
from anjian.lib.errors import Conflict, NotAllowed
from anjian.lib.paging import page_from_request

STALE = _(
    "Someone else acted on this hazard after you opened it. The page now shows its "
    "current state: check it, then try again."
)


@requires("hazards.view")
def ledger(request: AuthedRequest) -> HttpResponse:
    """隐患排查治理台账: the hazards in scope, newest first, filtered through htmx."""
    form = HazardFilter(request.GET or None, user=request.user)
    qs = Hazard.objects.visible_to(request.user)
    if form.is_valid():
        qs = form.apply(qs)
    enterprise = prepare_ledger_filter(form)
    qs, key, descending = ordered(form, qs)
    page, query = page_from_request(
        request,
        qs.values(*LEDGER_COLUMNS, *{key} - set(LEDGER_COLUMNS)),
        key=key,
        descending=descending,
    )
    page.items = [LedgerRow.of(r) for r in page.items]
    template = "hazards/_ledger.html" if request.htmx else "hazards/ledger.html"
    context = {
        "filter": form,
        "page": page,
        "query": query,
        "enterprise": enterprise,
        "can_import": can(request.user, "hazards.import"),
        "panels": LEDGER_PAGE.render(request, form),
        "chosen": chosen_filters(form),
    }
    return render(request, template, context)


def _timeline(hazard: Hazard) -> list[dict[str, Any]]:
    events = HazardEvent.objects.filter(hazard=hazard).select_related("actor", "batch")
    rows = []
    for e in events.prefetch_related("photos"):
        details = []
        for key, value in e.data.items():
            if key in ("finder", "level") or value in (None, ""):
                continue
            try:
                label = column_label(key)
            except FieldDoesNotExist:
                label = key
            details.append((label, value))
        rows.append(
            {
                "event": e,
                "label": str(workflow.step_label(e.action)),
                "status": Status(e.to_status).label if e.to_status in Status.values else "",
                "changed": e.from_status != e.to_status,
                "details": details,
                "photos": list(e.photos.all()),
            }
        )
    return rows


def _render_hazard(
    request: AuthedRequest, hazard: Hazard, bound: ActionForm | None = None, status: int = 200
) -> HttpResponse:
    names = workflow.allowed_actions(hazard, request.user)
    forms = [
        bound if bound is not None and bound.name == name else ActionForm(hazard, name)
        for name in names
    ]
    context = {
        "h": hazard,
        "forms": forms,
        "open_form": bound.name if bound is not None else (names[0] if names else ""),
        "before": list(hazard.before_photos.all()),
        "after": list(hazard.after_photos.all()),
        "timeline": _timeline(hazard),
        "origin": origins.link(hazard),
        "panels": HAZARD_PAGE.render(request, hazard),
    }
    return render(request, "hazards/detail.html", context, status=status)


@requires("hazards.view")
def hazard_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_hazard(request, Hazard.objects.get_for(request.user, pk))


@require_POST
@requires("hazards.view")
def hazard_act(request: AuthedRequest, pk: int) -> HttpResponse:
    """Take one workflow step from the hazard page; errors come back on the same page."""
    hazard = Hazard.objects.get_for(request.user, pk)
    name = request.POST.get("action", "")
    if name not in workflow.ACTIONS:
        raise Http404("action")
    form = ActionForm(hazard, name, request.POST, request.FILES)
    if not form.is_valid():
        return _render_hazard(request, hazard, form, status=422)
    try:
        _take(request, hazard, form)
    except Conflict:
        messages.error(request, STALE)
        fresh = Hazard.objects.get_for(request.user, pk)
        return _render_hazard(request, fresh, status=409)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except workflow.TransitionError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return _render_hazard(request, hazard, form, status=422)
    except EvidenceError as exc:
        form.add_error("photos" if "photos" in form.fields else None, str(exc))
        return _render_hazard(request, hazard, form, status=422)
    messages.success(request, _("Done: %(action)s.") % {"action": form.label})
    return redirect("hazards:detail", pk=pk)


def _take(request: AuthedRequest, hazard: Hazard, form: ActionForm) -> None:
    # One transaction: photos saved for a step that then fails are not kept half-linked.
    with transaction.atomic():
        uploads = form.cleaned_data.get("photos") or []
        photos = [
            evidence.save_photo(upload, by=request.user, client_uuid=uid)[0]
            for upload, uid in zip(uploads, form.photo_uuids(), strict=True)
        ]
        workflow.transition(
            hazard,
            form.name,
            form.action_data(),
            by=request.user,
            version=form.cleaned_data["version"],
            photos=photos,
        )


@requires("hazards.view")
def hazard_photo(request: AuthedRequest, pk: int, photo_pk: int) -> FileResponse:
    """A photo of a hazard or of a step in its timeline, to those who can see the hazard
    only: photos are evidence about an enterprise and are never public media."""
    hazard = Hazard.objects.get_for(request.user, pk)
    on_event = HazardEvent.photos.through.objects.filter(
        hazardevent__hazard=hazard, photo_id=photo_pk
    )
    attached = (
        Q(pk__in=hazard.before_photos.values("pk"))
        | Q(pk__in=hazard.after_photos.values("pk"))
        | Q(pk__in=on_event.values("photo_id"))
    )
    return evidence.serve(evidence.attached_photo(photo_pk, attached))
