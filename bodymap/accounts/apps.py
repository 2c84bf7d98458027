from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bodymap.accounts"
    label = "accounts"

    def ready(self):
        from bodymap.accounts import signals  # noqa: F401 - connects the audit receivers
