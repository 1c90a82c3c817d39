from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "anjian.coverage"
    label = "coverage"
