from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "anjian.notifications"
    label = "notifications"

    def ready(self) -> None:
        # Subscribe to what the workflows publish.
        from anjian.notifications import listeners  # noqa: F401
