"""What every file import reports (the registry, the hazard ledger): the rows refused with
the column and the reason, the common counts, and the refusal of a commit."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class RowError:
    row: int
    column: str  # as the file names it
    message: str


@dataclass
class BaseReport:
    """What an import found (preview) or did (commit); each import adds its own counts."""

    filename: str
    header_row: int = 0
    rows: int = 0
    new: int = 0
    errors: list[RowError] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)
    file_error: str = ""
    committed: bool = False
    created: int = 0
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


class ImportRejected(Exception):
    """Commit refused: the report says why; nothing was written."""

    def __init__(self, report: Any, reason: str) -> None:
        super().__init__(reason)
        self.report = report
        self.reason = reason
