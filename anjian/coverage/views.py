"""The coverage page and the coverage policy table."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.permissions import can
from anjian.accounts.scope import scope_of
from anjian.accounts.typing import AuthedRequest
from anjian.coverage import services as coverage
from anjian.coverage.forms import CoverageFilter, PolicyForm
from anjian.coverage.models import CoveragePolicy
from anjian.coverage.pages import COVERAGE_COUNTING, listed
from anjian.lib.access import requires
from anjian.lib.errors import NotAllowed
from anjian.lib.forms import office_and_grid_choices
from anjian.lib.paging import BadCursor


@requires("coverage.view")
def coverage_page(request: AuthedRequest) -> HttpResponse:
    params = request.GET.copy()
    params.setdefault("state", "unvisited")
    form = CoverageFilter(params, user=request.user)
    context: dict[str, object] = {"filter": form}
    valid = form.is_valid()
    office_and_grid_choices(form)
    if valid:
        query, state = form.query(), form.list_state()
        grids = COVERAGE_COUNTING.grid_rows(query)
        try:
            page = listed(query, state, request.GET.get("cursor"), with_count=True, grids=grids)
        except BadCursor:
            page = listed(query, state, with_count=True, grids=grids)
        params.pop("cursor", None)
        context |= {
            "period": query.period,
            "totals": coverage.totals(query, grids, COVERAGE_COUNTING.fetch),
            "grids": grids,
            "people": coverage.person_rows(query, grids, COVERAGE_COUNTING.fetch),
            "rows": page.items,
            "listed": page.count,
            "next": page.next,
            "query": params.urlencode(),
        }
    return render(request, "coverage/page.html", context)


@requires("coverage.view")
def policy_list(request: AuthedRequest) -> HttpResponse:
    rows, own = coverage.zone_policies(scope_of(request.user).zone_id)
    return render(
        request,
        "coverage/policies.html",
        {"policies": rows, "own": own, "can_manage": can(request.user, "coverage.manage")},
    )


@require_POST
@requires("coverage.manage")
def policy_adopt(request: AuthedRequest) -> HttpResponse:
    try:
        coverage.adopt_defaults(by=request.user)
    except coverage.CoverageError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your zone now has its own table, copied from the defaults."))
    return redirect("coverage:policies")


def _policy_page(request: AuthedRequest, policy: CoveragePolicy | None) -> HttpResponse:
    initial = {f: getattr(policy, f) for f in coverage.POLICY_FIELDS} if policy else None
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            coverage.save_policy(form.cleaned_data, by=request.user, policy=policy)
        except coverage.CoverageError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("The rule has been saved."))
            return redirect("coverage:policies")
    return render(request, "coverage/policy_form.html", {"form": form, "policy": policy})


@requires("coverage.manage")
def policy_add(request: AuthedRequest) -> HttpResponse:
    return _policy_page(request, None)


@requires("coverage.manage")
def policy_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        policy = coverage.get_policy_for(request.user, pk, write=True)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    return _policy_page(request, policy)


@require_POST
@requires("coverage.manage")
def policy_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        policy = coverage.get_policy_for(request.user, pk, write=True)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    coverage.delete_policy(policy, by=request.user)
    messages.success(request, _("The rule has been removed."))
    return redirect("coverage:policies")
