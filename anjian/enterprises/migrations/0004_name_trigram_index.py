"""A trigram index on the enterprise's name, on PostgreSQL only.

The hazard ledger's free text looks for the term in the enterprise's name too, as one
subquery computed before the scan (hazards.filters.text_matches). At city scale a plain
`LIKE '%term%'` reads all ~50,000 names for it (~5 ms); with pg_trgm's index a term of 3+
characters finds its few names in a few hundredths of a millisecond. It serves Django's
`contains`; `icontains` compares UPPER() of the column and cannot use it (PERFORMANCE.md,
lesson 5). SQLite has the FTS5 table of migration 0002 for the same job.
"""

from django.db import migrations

CREATE = [
    # A trusted extension (PostgreSQL 13+): the database's owner may create it. Left in place
    # when this migration is reversed: other indexes may use it by then.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX enterprise_name_trgm ON enterprises_enterprise USING gin (name gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS enterprise_name_trgm"]


def run(statements: list[str]):  # type: ignore[no-untyped-def]
    def apply(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0003_import_batch_kind_and_rows")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
