from importlib import import_module
from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.signals import post_migrate

ENGINE_INDEXES = ("hazards", "0007_ledger_text_search_indexes")


def keep_engine_indexes(using: str = "default", **kwargs: Any) -> None:
    """Put back the engine-specific ledger indexes of migration 0007 if a table rebuild
    dropped them (Django's SQLite remake keeps only the indexes the models declare)."""
    connection = connections[using]
    if (
        not MigrationRecorder(connection)
        .migration_qs.filter(app=ENGINE_INDEXES[0], name=ENGINE_INDEXES[1])
        .exists()
    ):
        return
    migration = import_module(f"anjian.hazards.migrations.{ENGINE_INDEXES[1]}")
    statements = {"sqlite": migration.SQLITE_FORWARD, "postgresql": migration.POSTGRES_FORWARD}
    with connection.cursor() as cursor:
        for sql in statements.get(connection.vendor, []):
            # The migration's statements, made safe to run again.
            sql = sql.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
            cursor.execute(sql.replace("DROP INDEX ", "DROP INDEX IF EXISTS ", 1))


class HazardsConfig(AppConfig):
    name = "anjian.hazards"
    label = "hazards"

    def ready(self) -> None:
        # Imported here, not at the top: apps.py is loaded before the models are.
        post_migrate.connect(keep_engine_indexes, sender=self)
        from anjian.enterprises.pages import ENTERPRISE_PAGE
        from anjian.hazards import listeners  # noqa: F401  (subscribes to what others publish)
        from anjian.hazards.panels import enterprise_hazards

        ENTERPRISE_PAGE.add("hazards/_enterprise_hazards.html", enterprise_hazards, order=10)
