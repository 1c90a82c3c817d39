from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from anjian.accounts.services import BadCredentials, LockedOut, sign_in


class SignInForm(AuthenticationForm):
    """The login form, counting failures and refusing locked accounts with a clear message."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed sign-ins. The account is locked for %(minutes)d more minutes."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            try:
                self.user_cache = sign_in(self.request, username, password)
            except LockedOut as exc:
                raise forms.ValidationError(
                    self.error_messages["locked"], code="locked", params={"minutes": exc.minutes}
                ) from exc
            except BadCredentials as exc:
                raise self.get_invalid_login_error() from exc
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “patrol phone 3”."),
    )
