from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "bodymap.billing"
    label = "billing"
    verbose_name = "Fees, invoices, payments and receipts"
