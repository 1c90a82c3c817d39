"""Pages for importing and exporting the registry."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anjian.accounts.typing import AuthedRequest
from anjian.enterprises import exporting, importing
from anjian.enterprises.views import filtered_enterprises
from anjian.imports import batches
from anjian.imports.forms import UploadForm
from anjian.imports.models import ImportKind
from anjian.lib.access import requires
from anjian.lib.http import XLSX, attachment


class CommitForm(forms.Form):
    on_duplicate = forms.ChoiceField(
        label=gettext_lazy("enterprises already registered"),
        required=False,
        choices=[
            ("update", gettext_lazy("Update them with the file's values")),
            ("skip", gettext_lazy("Skip them, keep what is registered")),
        ],
        widget=forms.RadioSelect,
    )


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = attachment(filename)
    return response


@requires("registry.import")
def upload(request: AuthedRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        content = f.read()
        report = importing.preview(content, f.name, by=request.user)
        batch = batches.upload(
            ImportKind.REGISTRY,
            by=request.user,
            filename=f.name,
            content=content if report.ok else b"",
            report=report,
        )
        return redirect("enterprises:import_preview", pk=batch.pk)
    return render(request, "enterprises/import.html", {"form": form})


@requires("registry.import")
def preview(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = batches.get_batch_for(request.user, pk, ImportKind.REGISTRY)
    return render(
        request,
        "enterprises/import_preview.html",
        {"batch": batch, "report": batch.report, "form": CommitForm()},
    )


@require_POST
@requires("registry.import")
def commit(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = batches.get_batch_for(request.user, pk, ImportKind.REGISTRY, pending=True)
    form = CommitForm(request.POST)
    form.is_valid()
    try:
        report = importing.commit(
            bytes(batch.content),
            batch.filename,
            by=request.user,
            on_duplicate=form.cleaned_data.get("on_duplicate") or None,
            batch=batch,
        )
    except importing.ImportRejected as exc:
        messages.error(request, exc.reason)
        batches.keep_refusal(batch, exc)
        return redirect("enterprises:import_preview", pk=batch.pk)
    messages.success(
        request,
        _("Imported: %(c)d new, %(u)d updated, %(s)d skipped.")
        % {"c": report.created, "u": report.updated, "s": report.skipped},
    )
    return redirect("enterprises:list")


@requires("registry.import")
def template(request: AuthedRequest) -> HttpResponse:
    return xlsx_response(exporting.template_xlsx(), "enterprise-import-template.xlsx")


@requires("registry.view")
def export(request: AuthedRequest) -> HttpResponse:
    _form, qs = filtered_enterprises(request)
    stamp = timezone.localdate().isoformat()
    return xlsx_response(exporting.export_xlsx(qs), f"enterprises-{stamp}.xlsx")
