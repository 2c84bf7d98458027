from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "bodymap.booking"
    label = "booking"
