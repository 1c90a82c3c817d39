"""Tallies: the ledger counted ahead by month, kept exact by the database itself.

A year's figures at city scale read hundreds of thousands of hazards; a tally reads a few
thousand rows instead. Each row counts the hazards sharing its key, and triggers on the
ledger table (`statistics.tallies`) move a hazard from one row to another in the same
transaction that changes it, whoever writes it — the workflow, an import, a bulk update — so a
tally never lags the ledger. The statistics layer reads a tally only for the figures it can
answer exactly (whole months, the columns it keeps), and counts the ledger itself otherwise.

Nothing else reads or writes these tables: they are an index of the ledger, owned by the
layer that counts.
"""

from __future__ import annotations

from django.db import models


class Tally(models.Model):
    """What every tally row has: where (zone, office), which month, how many."""

    zone = models.ForeignKey(
        "regions.Region", models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    office = models.ForeignKey(
        "regions.Region", models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    month = models.CharField(max_length=7)  # "2026-07", on the zone's calendar
    n = models.IntegerField(default=0)

    class Meta:
        abstract = True


class HazardFoundTally(Tally):
    """Hazards by the month they were found (on the zone's calendar), as they stand now."""

    status = models.CharField(max_length=15)
    level = models.CharField(max_length=1)
    hazard_type = models.CharField(max_length=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "office", "month", "status", "level", "hazard_type"],
                name="tally_found_key",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.month} {self.office_id} {self.status}/{self.level}/{self.hazard_type}: {self.n}"
        )


class HazardClosedTally(Tally):
    """Closed hazards by the month they were closed in (on the zone's calendar): whether by
    their deadline, and their days from found to closed, summed."""

    status = models.CharField(max_length=15)
    level = models.CharField(max_length=1)
    on_time = models.BooleanField()  # no deadline, or closed on or before its day
    days = models.BigIntegerField(default=0)  # sum of (local date of closed_at - found_on)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "office", "month", "status", "level", "on_time"],
                name="tally_closed_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.office_id} {self.status}/{self.level}/{self.on_time}: {self.n}"


class VisitTally(Tally):
    """Visits by the month they were made in, kind and outcome."""

    kind = models.CharField(max_length=20)
    outcome = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "office", "month", "kind", "outcome"], name="tally_visit_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.office_id} {self.kind}/{self.outcome}: {self.n}"


class TableVersion(models.Model):
    """The version of one table the statistics layer reads: a new random value whenever a
    statement writes it (statistics.versions keeps them, by triggers)."""

    name = models.CharField(max_length=63, primary_key=True)
    n = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.name}: {self.n}"


class PendingVersion(models.Model):
    """PostgreSQL: a watched table written by a transaction not yet committed; its version
    moves as the transaction commits, and the row goes with it."""

    txid = models.BigIntegerField()
    name = models.CharField(max_length=63)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["txid", "name"], name="version_pending_key")]

    def __str__(self) -> str:
        return f"{self.txid}: {self.name}"
