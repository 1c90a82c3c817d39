from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "anjian.enterprises"
    label = "enterprises"
