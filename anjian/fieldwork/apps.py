from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "anjian.fieldwork"
    label = "fieldwork"

    def ready(self) -> None:
        # Imported here, not at the top: apps.py is loaded before the models are.
        from anjian.enterprises.pages import ENTERPRISE_PAGE
        from anjian.fieldwork.models import Visit
        from anjian.fieldwork.panels import recent_visits
        from anjian.hazards import origins

        # Hazards are found on visits: the ledger names and links them through this.
        origins.register(Visit, name="visit", label=_("the visit"), url_name="fieldwork:visit")
        ENTERPRISE_PAGE.add("fieldwork/_recent_visits.html", recent_visits, order=20)
