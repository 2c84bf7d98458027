from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "bodymap.portal"
    label = "portal"
