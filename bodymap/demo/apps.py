from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "bodymap.demo"
    label = "demo"
