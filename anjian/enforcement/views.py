"""Notice pages: the list, issuing from a visit or a hazard, one notice, its documents."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.permissions import can
from anjian.accounts.typing import AuthedRequest
from anjian.documents.pdf import FontMissing
from anjian.enforcement import notices
from anjian.enforcement.filters import filtered_notices
from anjian.enforcement.forms import IssueNoticeForm, ServeNoticeForm
from anjian.enforcement.models import Notice
from anjian.enforcement.rendering import document_response
from anjian.fieldwork.models import Visit
from anjian.hazards.models import Hazard, HazardQuerySet
from anjian.lib.access import requires
from anjian.lib.errors import NotAllowed
from anjian.lib.forms import bootstrap
from anjian.lib.paging import page_from_request


@requires("notices.view")
def notice_list(request: AuthedRequest) -> HttpResponse:
    """The notices in scope, newest first; bad filters are named and list nothing."""
    form, qs = filtered_notices(request.GET, request.user)
    if qs is None:
        qs = Notice.objects.none()
    bootstrap(form, "form-select-sm form-control-sm")
    page, query = page_from_request(
        request, qs.select_related("enterprise", "issued_by"), key="issued_on", descending=True
    )
    context = {
        "filter": form,
        "page": page,
        "query": query,
        "can_issue": bool(notices.types_for(request.user)),
    }
    return render(request, "enforcement/notices/list.html", context)


def _candidates(request: AuthedRequest) -> tuple[HazardQuerySet, list[int]]:
    """The open hazards a notice may name, and those ticked first: the visit's, or the
    hazards in the query string; the enterprise is the one they belong to."""
    visible = Hazard.objects.visible_to(request.user)
    visit_id = request.GET.get("visit", "")
    if visit_id.isdecimal():
        visit = Visit.objects.visible_to(request.user).filter(pk=int(visit_id)).first()
        if visit is None:
            raise Http404("visit")
        enterprise_id = visit.enterprise_id
        ticked = list(visible.open().filter(visit=visit).values_list("pk", flat=True))
    else:
        ticked = [int(v) for v in request.GET.getlist("hazard") if v.isdecimal()]
        first = visible.filter(pk__in=ticked).values_list("enterprise_id", flat=True).first()
        if first is None:
            raise Http404("hazard")
        enterprise_id = first
    candidates = visible.open().filter(enterprise_id=enterprise_id).order_by("-found_on", "-id")
    return candidates, ticked


@requires("notices.issue")
def notice_create(request: AuthedRequest) -> HttpResponse:
    candidates, ticked = _candidates(request)
    form = IssueNoticeForm(
        request.POST or None,
        user=request.user,
        candidates=candidates,
        initial={"hazards": ticked},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = notices.issue_notice(
                list(data["hazards"]),
                by=request.user,
                type=data["type"],
                deadline=data["deadline"],
                requirements=data["requirements"],
            )
        except notices.NoticeError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        except NotAllowed as exc:
            raise PermissionDenied from exc
        else:
            messages.success(request, _("Notice %(n)s has been issued.") % {"n": notice.number})
            return redirect("notices:detail", pk=notice.pk)
    enterprise = candidates.select_related("enterprise").first()
    return render(
        request,
        "enforcement/notices/form.html",
        {"form": form, "enterprise": enterprise.enterprise if enterprise else None},
    )


@requires("notices.view")
def notice_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = Notice.objects.get_for(request.user, pk)
    may_serve = can(request.user, notices.ISSUE[notice.type])
    return render(
        request,
        "enforcement/notices/detail.html",
        {
            "notice": notice,
            "hazards": notice.hazards.order_by("id"),
            "serve_form": ServeNoticeForm() if may_serve and not notice.served_on else None,
        },
    )


@require_POST
@requires("notices.issue")
def notice_serve(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = Notice.objects.get_for(request.user, pk)
    form = ServeNoticeForm(request.POST)
    if form.is_valid():
        try:
            notices.serve_notice(notice, by=request.user, **form.cleaned_data)
        except notices.NoticeError as exc:
            form.add_error(exc.field, str(exc))
        except NotAllowed as exc:
            raise PermissionDenied from exc
        else:
            messages.success(request, _("The service has been recorded."))
            return redirect("notices:detail", pk=pk)
    context = {"notice": notice, "hazards": notice.hazards.order_by("id"), "serve_form": form}
    return render(request, "enforcement/notices/detail.html", context, status=422)


@requires("notices.view")
def notice_document(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    notice = Notice.objects.get_for(request.user, pk)
    try:
        return document_response(notice, kind)
    except FontMissing as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
