from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.forms import (
    PasswordChangeForm,
    PersonForm,
    SetPasswordForm,
    SignInForm,
    TokenForm,
)
from anjian.accounts.models import ApiToken, Role, User
from anjian.accounts.services import (
    create_person,
    issue_token,
    revoke_all_tokens,
    revoke_token,
    set_password,
    update_person,
)
from anjian.accounts.typing import AuthedRequest
from anjian.audit.log import record
from anjian.lib.access import requires
from anjian.lib.paging import page_from_request


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:tokens")

    @transaction.atomic
    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        person = form.user
        record(person, "person.password_change", person, changes={"password": ["***", "***"]})
        revoke_all_tokens(person, by=person, why="password")
        messages.success(self.request, _("Your password has been changed."))
        return response


def tokens(request: AuthedRequest) -> HttpResponse:
    """The signed-in user's API tokens: create one, see them, revoke them."""
    form = TokenForm(request.POST or None)
    new_token, issued = None, None
    if request.method == "POST" and form.is_valid():
        issued, new_token = issue_token(request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    items = ApiToken.objects.visible_to(request.user)
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": items,
            "new_token": new_token,
            "issued": issued,
            "now": timezone.now(),
        },
    )


@require_POST
def revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.visible_to(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    revoke_token(token, by=request.user)
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:tokens")


@requires("people.manage")
def people(request: AuthedRequest) -> HttpResponse:
    """Everyone in the zone, by role, with a search box."""
    qs = User.objects.visible_to(request.user).select_related(
        "region", "enterprise", "agency", "department"
    )
    role, q = request.GET.get("role", ""), request.GET.get("q", "").strip()
    if role in Role.values:
        qs = qs.filter(role=role)
    if q:
        qs = qs.filter(Q(username__contains=q) | Q(display_name__contains=q) | Q(phone__contains=q))
    page, query = page_from_request(request, qs, key="username", with_count=True)
    return render(
        request,
        "accounts/people.html",
        {
            "page": page,
            "roles": Role.choices,
            "role": role,
            "q": q,
            "query": query,
        },
    )


@requires("people.manage")
def person_create(request: AuthedRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, by=request.user)
    if request.method == "POST" and form.is_valid():
        person = create_person(
            form.cleaned_data, password=form.cleaned_data["password"], by=request.user
        )
        messages.success(request, _("The account has been opened."))
        return redirect("accounts:person", pk=person.pk)
    return render(request, "accounts/person_form.html", {"form": form})


@requires("people.manage")
def person_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    person = User.objects.visible_to(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404
    form = PersonForm(request.POST or None, instance=person, by=request.user)
    password_form = SetPasswordForm(person=person)
    if request.method == "POST" and "password" in request.POST:
        form = PersonForm(instance=person, by=request.user)
        password_form = SetPasswordForm(request.POST, person=person)
        if password_form.is_valid():
            set_password(person, password_form.cleaned_data["password"], by=request.user)
            messages.success(request, _("The password has been set."))
            return redirect("accounts:person", pk=pk)
    elif request.method == "POST" and form.is_valid():
        update_person(person, form.cleaned_data, by=request.user)
        messages.success(request, _("The changes have been saved."))
        return redirect("accounts:person", pk=pk)
    return render(
        request,
        "accounts/person_form.html",
        {"form": form, "person": person, "password_form": password_form},
    )
