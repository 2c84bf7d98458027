from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClientsConfig(AppConfig):
    name = "bodymap.clients"
    label = "clients"

    def ready(self):
        from bodymap.clients.sqlite_search import after_migrate

        post_migrate.connect(after_migrate, sender=self, dispatch_uid="clients-sqlite-search")
