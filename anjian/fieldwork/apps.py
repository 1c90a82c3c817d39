from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "anjian.fieldwork"
    label = "fieldwork"

    def ready(self) -> None:
        from anjian.fieldwork.models import Visit
        from anjian.hazards import origins

        # Hazards are found on visits: the ledger names and links them through this.
        origins.register(Visit, name="visit", label=_("the visit"), url_name="fieldwork:visit")
