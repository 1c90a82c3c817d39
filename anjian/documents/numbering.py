"""Document numbers: gapless per kind of document, issuing body and year, unique when two
people issue at the same moment ("安监整改〔2026〕第12号")."""

from __future__ import annotations

from anjian.documents.models import Counter


def next_seq(kind: str, body_id: int, year: int) -> int:
    """Take the next number of (kind, body, year). Call inside the issuing transaction.

    The counter row is created if missing (ON CONFLICT DO NOTHING, so two first issuers of a
    year do not collide), then locked with SELECT … FOR UPDATE: on PostgreSQL a second issuer
    waits here until the first commits or rolls back, and a document that fails to issue
    rolls its number back with it, so there is no gap. SQLite has no row locks, but its
    transactions begin IMMEDIATE (settings.SQLITE_OPTIONS), so writers queue at BEGIN.
    """
    Counter.objects.bulk_create(
        [Counter(kind=kind, body_id=body_id, year=year)], ignore_conflicts=True
    )
    counter = Counter.objects.select_for_update().get(kind=kind, body_id=body_id, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def document_number(word: str, year: int, seq: int) -> str:
    """The number as printed: the issuing body's word, the year in 〔〕, the sequence."""
    return f"{word}〔{year}〕第{seq}号"
