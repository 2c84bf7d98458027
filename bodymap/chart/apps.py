from django.apps import AppConfig


class ChartConfig(AppConfig):
    name = "bodymap.chart"
    label = "chart"
