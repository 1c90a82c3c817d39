from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "anjian.accounts"
    label = "accounts"
