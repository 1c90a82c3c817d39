from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.forms import SignInForm, TokenForm
from anjian.accounts.models import ApiToken
from anjian.accounts.services import issue_token, revoke_token
from anjian.accounts.typing import AuthedRequest


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:tokens")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


def tokens(request: AuthedRequest) -> HttpResponse:
    """The signed-in user's API tokens: create one, see them, revoke them."""
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = issue_token(request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    items = ApiToken.objects.visible_to(request.user)
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": items, "new_token": new_token}
    )


@require_POST
def revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.visible_to(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    revoke_token(token, by=request.user)
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:tokens")
