from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    name = "anjian.checklists"
    label = "checklists"

    def ready(self) -> None:
        # Imported here, not at the top: apps.py is loaded before the models are.
        from anjian.checklists.panels import applicable_checklists
        from anjian.enterprises.pages import ENTERPRISE_PAGE

        ENTERPRISE_PAGE.add("checklists/_applicable.html", applicable_checklists, order=40)
