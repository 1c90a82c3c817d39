from typing import Any, cast

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import Agency, Department, Role, User
from anjian.accounts.services import BadCredentials, LockedOut, sign_in
from anjian.lib.choices import limit_choices
from anjian.lib.forms import bootstrap


class Styled(forms.BaseForm):
    """Mixed in before a form class: Bootstrap's classes on its inputs (lib.forms.bootstrap)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class SignInForm(Styled, auth_forms.AuthenticationForm):
    """The login form, counting failures and refusing locked accounts with a clear message."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
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


class PasswordChangeForm(Styled, auth_forms.PasswordChangeForm):
    """Django's, with Bootstrap's classes."""


class SetPasswordForm(Styled, forms.Form):
    """A zone admin sets a person's password (the person changes it after signing in): the
    password rules (AUTH_PASSWORD_VALIDATORS) hold for it as for one people choose."""

    password = forms.CharField(label=_("new password"), widget=forms.PasswordInput, min_length=8)

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password, self.person)
        return password


class TokenForm(Styled, forms.Form):
    name = forms.CharField(
        label=_("token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “patrol phone 3”."),
    )


class PersonForm(forms.ModelForm):
    """An account and its scope, as a zone admin opens or edits it."""

    enterprise_code = forms.CharField(
        label=_("enterprise (credit code)"),
        required=False,
        max_length=18,
        help_text=_("For enterprise users: the enterprise's unified social credit code."),
    )

    class Meta:
        model = User
        fields = [
            "username",
            "display_name",
            "phone",
            "role",
            "region",
            "agency",
            "department",
            "certificate_no",
            "is_active",
        ]

    def __init__(self, *args: Any, by: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by = by
        self.fields["role"].required = True
        # The querysets of the account's own relations: accounts imports no registry module.
        regions: Any = cast(forms.ModelChoiceField, self.fields["region"]).queryset
        limit_choices(self.fields["region"], regions.visible_to(by).areas())
        limit_choices(self.fields["agency"], Agency.objects.visible_to(by))
        limit_choices(self.fields["department"], Department.objects.visible_to(by))
        if self.instance.pk:
            self.fields["username"].disabled = True
            if self.instance.enterprise_id:
                self.initial["enterprise_code"] = self.instance.enterprise.uscc  # type: ignore[union-attr]
        else:
            del self.fields["is_active"]
            self.fields["password"] = forms.CharField(
                label=_("initial password"),
                widget=forms.PasswordInput,
                min_length=8,
                help_text=_("The person should change it after signing in."),
            )
        bootstrap(self)

    def clean_enterprise_code(self) -> Any:
        code = (self.cleaned_data.get("enterprise_code") or "").strip().upper()
        if not code:
            return None
        registry = cast(Any, User._meta.get_field("enterprise").related_model)
        enterprise = registry.objects.visible_to(self.by).filter(uscc=code).first()
        if enterprise is None:
            raise forms.ValidationError(_("No enterprise with this credit code in your zone."))
        return enterprise

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        needs: dict[str, str] = {
            Role.ZONE_ADMIN: "region",
            Role.OFFICER: "region",
            Role.LEADER: "region",
            Role.ENTERPRISE: "enterprise_code",
            Role.EXPERT: "agency",
            Role.DEPARTMENT: "department",
        }
        field = needs.get(role or "")
        if field and not data.get(field):
            self.add_error(field, _("This role needs this field."))
        if role == Role.OFFICER and not data.get("certificate_no"):
            self.add_error(
                "certificate_no", _("An enforcement officer needs a certificate number.")
            )
        data["enterprise"] = data.pop("enterprise_code", None)
        password = data.get("password")
        if password:
            # The rules of every password, the account's own names among them.
            person = User(
                username=data.get("username") or "", display_name=data.get("display_name") or ""
            )
            try:
                validate_password(password, person)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        # Only the field that goes with the role is kept, so scope is never ambiguous.
        for key in ("region", "enterprise", "agency", "department"):
            if field != key and not (key == "enterprise" and field == "enterprise_code"):
                data[key] = None
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        # The model's role/scope constraints are checked in clean() with field names.
        return
