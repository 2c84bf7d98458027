from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "bodymap.safety"
    label = "safety"
