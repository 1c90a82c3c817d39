"""A trigram index on the enterprise's name, on PostgreSQL only.

The hazard ledger's free text looks for the term in the enterprise's name too, as one
subquery computed before the scan (hazards.filters.text_matches). At city scale a plain
`LIKE '%term%'` reads all ~50,000 names for it; with pg_trgm's index (which serves `LIKE`,
not `ILIKE`, PERFORMANCE.md lesson 5) a term of 3+ characters finds its few names in
microseconds. SQLite has the FTS5 table of migration 0002 for the same job.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CREATE = (
    "CREATE INDEX enterprise_name_trgm ON enterprises_enterprise USING gin (name gin_trgm_ops)"
)
DROP = "DROP INDEX IF EXISTS enterprise_name_trgm"


def run(sql: str):  # type: ignore[no-untyped-def]
    def apply(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0003_import_batch_kind_and_rows")]

    operations = [
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
        # On SQLite this operation does nothing.
        TrigramExtension(),
        migrations.RunPython(run(CREATE), run(DROP)),
    ]
