from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "anjian.fieldwork"
    label = "fieldwork"
