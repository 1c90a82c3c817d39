from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "anjian.imports"
    label = "imports"
