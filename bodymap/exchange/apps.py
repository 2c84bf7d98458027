from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Data in and out of a practice: importing clients, exporting everything (CSV and FHIR), a
    client's own records, and destroying records past the retention period."""

    name = "bodymap.exchange"
    label = "exchange"
