from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "bodymap.consent"
    label = "consent"
