"""What enforcement publishes (anjian.lib.events); notifications listen."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NoticeIssued:
    """A numbered rectification notice or order was issued to an enterprise."""

    notice_id: int
