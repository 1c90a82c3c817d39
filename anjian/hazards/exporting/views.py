"""Downloads of the ledger (xlsx, national JSON). They take the ledger page's query string,
so what is downloaded is what the page lists."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone

from anjian.accounts.typing import AuthedRequest
from anjian.hazards.exporting.background import in_background, submit_ledger_export
from anjian.hazards.exporting.ledger import ledger_filename, ledger_rows, write_ledger_xlsx
from anjian.hazards.exporting.national import json_array_chunks, json_lines_chunks, national_records
from anjian.hazards.filters import HazardFilter, filtered_ledger
from anjian.hazards.models import HazardQuerySet
from anjian.lib.access import requires
from anjian.lib.http import XLSX


def scoped_ledger(request: AuthedRequest) -> tuple[HazardFilter, HazardQuerySet | None]:
    """The user's ledger narrowed by the ledger filters; None when the filters are bad."""
    return filtered_ledger(request.GET, request.user)


def _bad_filters(form: HazardFilter) -> HttpResponse:
    lines = [f"{name}: {' '.join(str(e) for e in errs)}" for name, errs in form.errors.items()]
    return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")


def ledger_xlsx_response(qs: HazardQuerySet) -> FileResponse:
    """Build the workbook into a temporary file and stream that: memory stays flat however
    many rows the ledger holds; the file is removed when the response is closed."""
    today = timezone.localdate()
    # Not a `with` block: FileResponse closes (and so removes) the file once it is sent.
    out = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        write_ledger_xlsx(ledger_rows(qs, today), out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=ledger_filename(today),
        content_type=XLSX,
    )


def national_json_response(qs: HazardQuerySet, lines: bool) -> StreamingHttpResponse:
    records = national_records(qs)
    chunks: Iterator[bytes]
    if lines:
        chunks, media, ext = json_lines_chunks(records), "application/x-ndjson", "jsonl"
    else:
        chunks, media, ext = json_array_chunks(records), "application/json", "json"
    response = StreamingHttpResponse(chunks, content_type=media)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f"attachment; filename=hazards-{stamp}.{ext}"
    return response


@requires("hazards.view")
def ledger_xlsx(request: AuthedRequest) -> HttpResponseBase:
    """The workbook at once; a large one is written on the job queue, and the job's page
    shows the rows written and then offers the file."""
    form, qs = scoped_ledger(request)
    if qs is None:
        return _bad_filters(form)
    if in_background(qs):
        job = submit_ledger_export(request.user, request.GET.dict())
        return redirect("jobs:detail", pk=job.pk)
    return ledger_xlsx_response(qs)


@requires("hazards.view")
def ledger_json(request: AuthedRequest) -> HttpResponseBase:
    """The ledger as national interface records; `?format=jsonl` for JSON Lines."""
    form, qs = scoped_ledger(request)
    if qs is None:
        return _bad_filters(form)
    return national_json_response(qs, lines=request.GET.get("format") == "jsonl")
