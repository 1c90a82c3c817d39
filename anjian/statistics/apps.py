from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StatisticsConfig(AppConfig):
    name = "anjian.statistics"
    label = "statistics"

    def ready(self) -> None:
        # Imported here, not at the top: apps.py is loaded before the models are.
        from anjian.coverage.pages import COVERAGE_COUNTING
        from anjian.enterprises.pages import ENTERPRISE_PAGE
        from anjian.hazards.pages import LEDGER_PAGE
        from anjian.statistics import tallies, versions
        from anjian.statistics.coverage import grid_rows_kept
        from anjian.statistics.ledger import ledger_counts
        from anjian.statistics.views import enterprise_form_panel

        ENTERPRISE_PAGE.add("statistics/_enterprise_form.html", enterprise_form_panel, order=30)
        LEDGER_PAGE.add("statistics/_ledger_counts.html", ledger_counts, order=10)
        # The coverage page and API count through the answers kept here (coverage.pages).
        COVERAGE_COUNTING.grid_rows = grid_rows_kept
        COVERAGE_COUNTING.fetch = versions.fetch
        # The tallies' triggers, put back (and the tallies counted again) whenever a migration
        # dropped them or they differ from the code's.
        post_migrate.connect(tallies.ensure, sender=self)
        # Then the tables' versions: their triggers, and a new version for every table.
        post_migrate.connect(versions.ensure, sender=self)
