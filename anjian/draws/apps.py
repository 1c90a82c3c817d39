from django.apps import AppConfig


class DrawsConfig(AppConfig):
    name = "anjian.draws"
    label = "draws"

    def ready(self) -> None:
        # Imported here, not at the top: apps.py is loaded before the models are.
        from anjian.draws.services import item_for_visit, offered_item
        from anjian.fieldwork import purposes
        from anjian.fieldwork.models import VisitKind

        # A double-random inspection is a visit that carries out a drawn enterprise.
        purposes.register(
            purposes.Purpose(
                name="draw_item",
                kind=VisitKind.DOUBLE_RANDOM,
                check=item_for_visit,
                offered=offered_item,
            )
        )
