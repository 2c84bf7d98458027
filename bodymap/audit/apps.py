from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "bodymap.audit"
    label = "audit"
