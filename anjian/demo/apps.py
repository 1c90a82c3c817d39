from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "anjian.demo"
    label = "demo"
