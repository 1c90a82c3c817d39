from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "anjian.notifications"
    label = "notifications"
