from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "anjian.documents"
    label = "documents"
