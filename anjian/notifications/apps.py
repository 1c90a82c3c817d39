from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "anjian.notifications"
    label = "notifications"

    def ready(self) -> None:
        # Imported here, not at the top: apps.py is loaded before the models are.
        # Subscribe to what the workflows publish.
        from anjian.notifications import listeners  # noqa: F401
