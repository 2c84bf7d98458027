from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "bodymap.clients"
    label = "clients"
