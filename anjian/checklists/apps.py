from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    name = "anjian.checklists"
    label = "checklists"
