from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "bodymap.intake"
    label = "intake"
