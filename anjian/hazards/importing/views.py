"""Pages for importing a hazard ledger: upload and check, read the preview, commit."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anjian.accounts.typing import AuthedRequest
from anjian.hazards import importing
from anjian.imports import batches
from anjian.imports.forms import UploadForm
from anjian.imports.models import ImportBatch, ImportKind
from anjian.lib.access import requires


class CommitForm(forms.Form):
    on_duplicate = forms.ChoiceField(
        label=gettext_lazy("rows that look like hazards already recorded"),
        required=False,
        choices=[
            ("skip", gettext_lazy("Skip them")),
            ("keep", gettext_lazy("Import them as well")),
        ],
        widget=forms.RadioSelect,
    )


@requires("hazards.import")
def upload(request: AuthedRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        content = f.read()
        rows = importing.estimated_rows(content, f.name)
        batch = batches.upload(
            ImportKind.HAZARDS, by=request.user, filename=f.name, content=content, rows=rows
        )
        if importing.in_background(rows):
            return _in_background(request, batch, "check")
        importing.check_batch(batch, by=request.user)
        return redirect("hazards:import_preview", pk=batch.pk)
    return render(request, "hazards/import/upload.html", {"form": form})


def _in_background(
    request: AuthedRequest, batch: ImportBatch, step: str, on_duplicate: str | None = None
) -> HttpResponse:
    """Run a step of a large import on the job queue; its page shows the progress and then
    returns to the preview."""
    job = importing.submit_batch(batch, by=request.user, step=step, on_duplicate=on_duplicate)
    return redirect("jobs:detail", pk=job.pk)


@requires("hazards.import")
def preview(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = batches.get_batch_for(request.user, pk, ImportKind.HAZARDS)
    context = {"batch": batch, "report": batch.report, "form": CommitForm()}
    return render(request, "hazards/import/preview.html", context)


@require_POST
@requires("hazards.import")
def commit(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = batches.get_batch_for(request.user, pk, ImportKind.HAZARDS, pending=True)
    form = CommitForm(request.POST)
    form.is_valid()
    on_duplicate = form.cleaned_data.get("on_duplicate") or None
    if importing.in_background(batch.rows):
        return _in_background(request, batch, "commit", on_duplicate)
    try:
        report = importing.commit_batch(batch, by=request.user, on_duplicate=on_duplicate)
    except importing.ImportRejected as exc:
        messages.error(request, exc.reason)
        return redirect("hazards:import_preview", pk=batch.pk)
    messages.success(
        request,
        _("Imported %(c)d hazards; %(s)d rows skipped as already recorded.")
        % {"c": report.created, "s": report.skipped},
    )
    return redirect("hazards:ledger")
