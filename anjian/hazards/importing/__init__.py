"""Import of hazard ledgers (隐患排查治理台账) from xlsx and CSV: preview, then all or nothing.

A zone's old ledgers become ordinary Hazard rows, with their state and dates as the file
gives them, and a history written as HazardEvents marked as imported (which upload, which
row). The package's rooms: `vocabulary` (columns and words), `rows` (one row), `reading`
(the file, a chunk at a time), `writing` (the rows and their history), `batch` (preview,
commit, and the job queue for large files).
"""

from anjian.hazards.importing.batch import (
    DUPLICATE_CHOICES,
    check_batch,
    commit,
    commit_batch,
    estimated_rows,
    in_background,
    preview,
    submit_batch,
)
from anjian.hazards.importing.rows import Report
from anjian.imports.reports import ImportRejected

__all__ = [
    "DUPLICATE_CHOICES",
    "ImportRejected",
    "Report",
    "check_batch",
    "commit",
    "commit_batch",
    "estimated_rows",
    "in_background",
    "preview",
    "submit_batch",
]
