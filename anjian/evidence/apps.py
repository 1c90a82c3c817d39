from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "anjian.evidence"
    label = "evidence"
    verbose_name = "evidence"
