"""The hazard pages' forms: the ledger filter's display, and one form per workflow action."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.enterprises.models import Enterprise
from anjian.hazards.filters import HazardFilter
from anjian.hazards.models import Hazard
from anjian.hazards.workflow import ACTIONS, PLAN_FIELDS
from anjian.lib.forms import bootstrap, office_and_grid_choices


def prepare_ledger_filter(form: HazardFilter) -> Enterprise | None:
    """Set the filter's widgets up for the page; returns the enterprise filtered on, if any.

    The enterprise is filtered by id (links from an enterprise's page), so it is shown as a
    named chip rather than a number box.
    """
    bootstrap(form, "form-select-sm form-control-sm")
    office_and_grid_choices(form)
    chosen = form.cleaned_data.get("enterprise") if form.is_bound and form.is_valid() else None
    return chosen if isinstance(chosen, Enterprise) else None


def chosen_filters(form: HazardFilter) -> int:
    """How many filters narrow the ledger (said beside the folded filters on a phone)."""
    return sum(
        1 for name in form.fields if name != "sort" and form.data.get(name) not in ("", None)
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one input (Django's documented pattern for multiple files)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if isinstance(data, list | tuple):
            return [super(PhotosField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


# Labels for the inputs an action may need, where the workflow's field name is not enough.
NOTE_LABELS = {
    "reject": _("Why it is rejected"),
    "deny_extension": _("Why the extension is refused"),
    "request_extension": _("Why more time is needed"),
    "void": _("Why it is void"),
    "escalate": _("Why it is a major hazard"),
    "accept": _("Acceptance comment"),
    "write_off": _("Review conclusion"),
}
OPTIONAL_PHOTOS = frozenset({"accept", "reject", "fail_review", "void", "request_extension"})
DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def column_label(name: str) -> str:
    """The verbose name of a Hazard column (its label in both languages)."""
    return str(getattr(Hazard._meta.get_field(name), "verbose_name", name))


def _text(label: Any, required: bool, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class ActionForm(forms.Form):
    """One workflow action on one hazard: its inputs (from ACTIONS[action].needs), evidence
    photos, and the hazard's version as the page read it (stale → a clear message)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    # Made when the form is drawn, so a resubmitted form reuses its photos (save_photo).
    photo_uuid = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, hazard: Hazard, action: str, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", action)
        kwargs.setdefault(
            "initial",
            {"version": hazard.version, "photo_uuid": uuid.uuid4()},
        )
        super().__init__(*args, **kwargs)
        self.name = action
        self.spec = ACTIONS[action]
        needs = self.spec.needs
        self.fields.update(self._inputs(hazard, action, needs))
        if self.spec.needs_photo or action in OPTIONAL_PHOTOS:
            self.fields["photos"] = PhotosField(label=_("Photos"), required=self.spec.needs_photo)
            self.fields["photos"].widget.attrs.update({"accept": "image/*"})
        for field in self.fields.values():
            if not isinstance(field.widget, forms.HiddenInput | MultipleFileInput):
                field.widget.attrs.setdefault("class", "form-control form-control-sm")

    @property
    def label(self) -> str:
        return str(self.spec.label)

    def _inputs(self, hazard: Hazard, action: str, needs: tuple[str, ...]) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        if "deadline" in needs:
            label = _("New deadline") if action == "request_extension" else _("Deadline")
            fields["deadline"] = forms.DateField(label=label, widget=DATE_INPUT)
        if action == "submit":
            # Not in the future, nor before it was found (workflow refuses both).
            limits = {"min": hazard.found_on.isoformat(), "max": timezone.localdate().isoformat()}
            fields["rectified_on"] = forms.DateField(
                label=_("Rectified on"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date", **limits}),
            )
        for name in ("basis", "liable_person", "reviewers"):
            if name in needs:
                fields[name] = forms.CharField(
                    label=_("Reviewers") if name == "reviewers" else column_label(name),
                    max_length=300,
                    initial=getattr(hazard, name, ""),
                )
        if "funds" in needs:
            fields["funds"] = forms.DecimalField(
                label=_("Funds (yuan)"), min_value=0, max_digits=12, decimal_places=2
            )
        for name in PLAN_FIELDS:
            if name in needs:
                fields[name] = _text(column_label(name), True)
        fields["note"] = _text(NOTE_LABELS.get(action, _("Note")), "note" in needs)
        return fields

    def action_data(self) -> dict[str, Any]:
        """What the workflow reads: the inputs, without the form's own bookkeeping."""
        skip = {"version", "photo_uuid", "photos"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip and v not in (None, "")}

    def photo_uuids(self) -> list[uuid.UUID]:
        """One client UUID per photo, derived from the form's, so a resubmission of the same
        form finds the photos it saved the first time."""
        base: uuid.UUID = self.cleaned_data["photo_uuid"]
        count = len(self.cleaned_data.get("photos") or [])
        return [uuid.uuid5(base, str(i)) for i in range(count)]
