from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "anjian.regions"
    label = "regions"
