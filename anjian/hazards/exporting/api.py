"""/api/v1/hazards/exports: the ledger as xlsx and as national interface records."""

from __future__ import annotations

from typing import Any, Literal

from django.http.response import HttpResponseBase
from ninja import Query, Router, Schema, Status

from anjian.accounts.permissions import can
from anjian.accounts.typing import AuthedRequest
from anjian.hazards.exporting.background import in_background, submit_ledger_export
from anjian.hazards.exporting.national import NATIONAL_NULL_FIELDS
from anjian.hazards.exporting.views import ledger_xlsx_response, national_json_response
from anjian.hazards.filters import LedgerQuery, ledger_form
from anjian.lib.api import binary_responses, errors
from anjian.lib.errors import NotAllowed
from anjian.lib.http import XLSX

router = Router(tags=["hazard exports"])

NULL_FIELDS = ", ".join(f"`{f}`" for f in NATIONAL_NULL_FIELDS)
LEDGER_JSON_DOC = (
    """The ledger in your scope as hazard records of the national dual-prevention interface
(FIELD-NOTES.md §4.2), streamed as one JSON array, or as JSON Lines with `format=jsonl`.

Field names and codes are the interface's: `dangerLevel` 0 general / 1 major;
`dangerSrc` 1–10 (11: government supervisory inspection, 12: grid patrol); `dangerManageType`
0 即查即改 / 1 限期整改; `hazardDangerType` 1–8; `managementClassification` 1–3;
`dangerState` 0 整改中 / 1 待验收 / 9 已验收; `deleted` 1 for a voided hazard. Codes are
strings; times are local (Asia/Shanghai) "YYYY-MM-DD HH:MM:SS"; `cost` is in yuan.
`id`, `companyName` and `creditCode` (the enterprise's unified social credit code) are
anjian's additions.

Always null, because anjian holds no source for them: """
    + NULL_FIELDS
    + "."
)


def _check(request: AuthedRequest) -> None:
    if not can(request.user, "hazards.view"):
        raise NotAllowed("hazards.view")


class ExportJobOut(Schema):
    job: int
    state: str
    job_url: str
    file_url: str


@router.get(
    "/ledger.xlsx",
    response={200: None, 202: ExportJobOut, **errors(401, 403, 422)},
    openapi_extra=binary_responses("the ledger workbook (隐患排查治理台账)", XLSX),
)
def ledger_xlsx(request: AuthedRequest, filters: Query[LedgerQuery]) -> Any:
    """The ledger in your scope with the ledger's filters, as the xlsx ledger zones keep
    (隐患排查治理台账): one row per hazard, newest first, labels in Chinese, overdue derived
    from the deadline. Built in constant memory whatever the number of rows.

    More than `HAZARD_EXPORT_BACKGROUND_ROWS` rows are written on the job queue: the answer
    is 202 with the job. Poll `job_url` until its `state` is `done`, then download `file_url`
    (kept `JOB_FILE_KEEP_HOURS`; 404 before the job is done and after)."""
    _check(request)
    qs = ledger_form(request.user, filters)[1]
    if not in_background(qs):
        return ledger_xlsx_response(qs)
    job = submit_ledger_export(request.user, filters.dict(exclude_none=True))
    return Status(
        202,
        {
            "job": job.pk,
            "state": job.state,
            "job_url": f"/api/v1/jobs/{job.pk}",
            "file_url": f"/api/v1/jobs/{job.pk}/file",
        },
    )


@router.get(
    "/ledger.json",
    response={200: None, **errors(401, 403, 422)},
    openapi_extra=binary_responses(
        "national interface records", "application/json", "application/x-ndjson"
    ),
    description=LEDGER_JSON_DOC,
)
def ledger_json(
    request: AuthedRequest,
    filters: Query[LedgerQuery],
    format: Literal["json", "jsonl"] = "json",
) -> HttpResponseBase:
    """The ledger as national interface records (described in LEDGER_JSON_DOC)."""
    _check(request)
    return national_json_response(ledger_form(request.user, filters)[1], lines=format == "jsonl")
