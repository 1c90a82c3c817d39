"""Indexes for the ledger's free text within an office (issue 3, item 15).

Searching an office's ledger for a term read the office's hazards newest first until a
page of them matched: at city scale those rows lie scattered over a table shared with 60
offices, so the same ~2,000 rows cost twice the page reads they cost at zone scale.

- PostgreSQL: a trigram index on the three text columns the filter reads (one GIN index,
  one column each). With the enterprise-name arm computed once (hazards.filters.
  text_matches), PostgreSQL combines the arms from it (BitmapOr), intersects them with the
  office, and reads only the office's matching rows.
- SQLite: the office's index carries the columns the filter reads (enterprise, name,
  description, location) after (office, found_on, id), so the rows that do not match are
  rejected in the index, in the office's own pages, and only a page of matches is read from
  the table. It replaces the narrower (office, found_on, id) index, whose every query it
  serves in the same order: with both, SQLite's planner takes the narrower one. PostgreSQL
  keeps the narrow index (its B-tree entries are limited to ~2.7 kB, and a description is
  not).

Both are written as SQL for one engine each, so they are not in Hazard.Meta.indexes; the
tests check that each engine's plan uses its index (test_text_search.py), which is also how
a later migration that rebuilds the table on SQLite (Django's remake drops indexes it does
not know) would be noticed.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE INDEX hazard_office_text ON hazards_hazard "
    "(office_id, found_on, id, enterprise_id, name, description, location)",
    "DROP INDEX hazard_office_found",
]
SQLITE_BACKWARD = [
    'CREATE INDEX hazard_office_found ON hazards_hazard ("office_id", "found_on", "id")',
    "DROP INDEX hazard_office_text",
]
POSTGRES_FORWARD = [
    "CREATE INDEX hazard_text_trgm ON hazards_hazard USING gin "
    "(name gin_trgm_ops, description gin_trgm_ops, location gin_trgm_ops)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS hazard_text_trgm"]


def run(sqlite: list[str], postgres: list[str]):  # type: ignore[no-untyped-def]
    def apply(apps, schema_editor):  # type: ignore[no-untyped-def]
        vendor = schema_editor.connection.vendor
        for sql in {"sqlite": sqlite, "postgresql": postgres}.get(vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0004_name_trigram_index"),
        ("hazards", "0006_imported_events_and_names"),
    ]

    operations = [
        migrations.RunPython(
            run(SQLITE_FORWARD, POSTGRES_FORWARD), run(SQLITE_BACKWARD, POSTGRES_BACKWARD)
        ),
    ]
