"""Validation of registry input: the page, the API and the importer all go through these."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import Department, User
from anjian.enterprises.models import REGISTRY_FIELDS, Enterprise, Kind, Status, Tag
from anjian.enterprises.workflow import TRANSITIONS
from anjian.lib import uscc
from anjian.lib.choices import limit_choices
from anjian.regions.models import Grid

INDUSTRY_CODE = re.compile(r"^[A-T](\d{2}(\d(\d)?)?)?$")
PHONE = re.compile(r"^[0-9+\-() ]{5,30}$")


class SafetyManagersField(forms.Field):
    """Safety managers as text, one per line ("name phone"), or as a list of {name, phone}."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: Any) -> list[dict[str, str]]:
        if not value:
            return []
        if isinstance(value, list):
            items = [
                {"name": str(v.get("name", "")).strip(), "phone": str(v.get("phone", "")).strip()}
                if isinstance(v, dict)
                else {"name": "", "phone": ""}
                for v in value
            ]
        else:
            items = []
            for line in re.split(r"[\n;；]", str(value)):
                parts = line.replace("，", " ").replace(",", " ").split()
                if parts:
                    items.append({"name": parts[0], "phone": " ".join(parts[1:])})
        for item in items:
            if not item["name"]:
                raise ValidationError(_("Each safety manager needs a name."))
            if item["phone"] and not PHONE.match(item["phone"]):
                raise ValidationError(
                    _("“%(phone)s” is not a phone number."), params={"phone": item["phone"]}
                )
        return items

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(f"{v['name']} {v.get('phone', '')}".strip() for v in value)
        return value


class EnterpriseForm(forms.ModelForm):
    """One enterprise's registry fields, with choices limited to the editor's scope."""

    tags = forms.MultipleChoiceField(
        label=_("special tags"),
        choices=Tag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    safety_managers = SafetyManagersField(
        label=_("safety managers"),
        required=False,
        help_text=_("One per line: name, then phone."),
    )
    # Not the model's max_length: people type spaces inside codes, which clean_uscc strips
    # before it checks the length and says what is wrong.
    uscc = forms.CharField(label=_("unified social credit code"), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Enterprise
        fields = REGISTRY_FIELDS
        widgets = {"standardization_expires_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        limit_choices(self.fields["grid"], Grid.objects.visible_to(user).select_related("village"))
        limit_choices(self.fields["competent_department"], Department.objects.visible_to(user))
        landlords = Enterprise.objects.visible_to(user).exclude(kind=Kind.ORDINARY)
        if self.instance.pk:
            landlords = landlords.exclude(pk=self.instance.pk)
            self.initial.setdefault("tags", list(self.instance.tags.values_list("tag", flat=True)))
            self.initial.setdefault(
                "safety_managers",
                [{"name": m.name, "phone": m.phone} for m in self.instance.safety_managers.all()],
            )
            self.initial.setdefault("version", self.instance.version)
        limit_choices(self.fields["landlord"], landlords)

    def clean_uscc(self) -> str:
        raw = self.cleaned_data.get("uscc") or ""
        if not raw.strip():
            return ""
        try:
            return uscc.validate(raw)
        except uscc.USCCError as exc:
            raise ValidationError(str(exc)) from exc

    def clean_industry_code(self) -> str:
        code = (self.cleaned_data.get("industry_code") or "").strip().upper()
        if code and not INDUSTRY_CODE.match(code):
            raise ValidationError(
                _("Use a GB/T 4754 code: a section letter A–T, then 2 to 4 digits (e.g. C3311).")
            )
        return code

    def clean_principal_phone(self) -> str:
        phone = (self.cleaned_data.get("principal_phone") or "").strip()
        if phone and not PHONE.match(phone):
            raise ValidationError(_("“%(phone)s” is not a phone number."), params={"phone": phone})
        return phone

    def clean_latitude(self) -> Decimal | None:
        return _in_range(self.cleaned_data.get("latitude"), -90, 90)

    def clean_longitude(self) -> Decimal | None:
        return _in_range(self.cleaned_data.get("longitude"), -180, 180)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        landlord = data.get("landlord")
        if landlord is not None and data.get("kind", Kind.ORDINARY) != Kind.ORDINARY:
            self.add_error(
                "landlord", _("A landlord or cluster operator cannot itself be a tenant.")
            )
        code = data.get("uscc")
        grid = data.get("grid")
        if code and grid is not None:
            clash = Enterprise.objects.filter(zone_id=grid.zone_id, uscc=code)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "uscc", _("An enterprise with this credit code is already registered.")
                )
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        # The zone columns are filled by the write function, so the model's own uniqueness
        # check cannot run here; clean() above does the same check with the grid's zone.
        return


def _in_range(value: Decimal | None, low: int, high: int) -> Decimal | None:
    if value is not None and not low <= value <= high:
        raise ValidationError(
            _("Must be between %(low)s and %(high)s."), params={"low": low, "high": high}
        )
    return value


class StatusChangeForm(forms.Form):
    to = forms.ChoiceField(label=_("new status"), choices=Status.choices)
    effective_on = forms.DateField(
        label=_("effective on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("reason"), max_length=255)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, enterprise: Enterprise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS[enterprise.status]
        to_field = self.fields["to"]
        assert isinstance(to_field, forms.ChoiceField)
        to_field.choices = [(v, lbl) for v, lbl in Status.choices if v in allowed]
        self.initial.setdefault("version", enterprise.version)
