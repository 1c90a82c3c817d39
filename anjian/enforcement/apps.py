from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "anjian.enforcement"
    label = "enforcement"

    def ready(self) -> None:
        # Imported here, not at the top: apps.py is loaded before the models are.
        from anjian.enforcement.panels import hazard_notices, visit_notices
        from anjian.fieldwork.pages import VISIT_PAGE
        from anjian.hazards.pages import HAZARD_PAGE

        HAZARD_PAGE.add("enforcement/notices/_panel.html", hazard_notices)
        VISIT_PAGE.add("enforcement/notices/_panel.html", visit_notices)
