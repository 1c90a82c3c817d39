from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "anjian.workdays"
    label = "workdays"
