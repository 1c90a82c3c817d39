"""Full-text search over enterprise name, credit code and address, on SQLite only.

An FTS5 table with the trigram tokenizer mirrors the three columns; triggers keep it in
step with every write path (forms, API, bulk imports and seeds alike). PostgreSQL does
without it: its LIKE is fast enough at city scale for the registry.
"""

from django.db import migrations

TABLE = "enterprises_enterprise"
FTS = "enterprises_enterprise_fts"

CREATE = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(name, uscc, address, content='{TABLE}', "
    "content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, name, uscc, address) VALUES (new.id, new.name, new.uscc, new.address); END",
    f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, name, uscc, address) VALUES ('delete', old.id, old.name, old.uscc, old.address); END",
    f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF name, uscc, address ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, name, uscc, address) VALUES ('delete', old.id, old.name, old.uscc, old.address); "
    f"INSERT INTO {FTS}(rowid, name, uscc, address) VALUES (new.id, new.name, new.uscc, new.address); END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
DROP = [f"DROP TRIGGER IF EXISTS {FTS}_{t}" for t in ("ai", "ad", "au")] + [
    f"DROP TABLE IF EXISTS {FTS}"
]


def run(statements: list[str]):  # type: ignore[no-untyped-def]
    def apply(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "sqlite":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
