from django.db import migrations

from bodymap.appendonly import AppendOnly

# Issued money records are never changed in place: a correction is a credit note, a refund or a void.
TABLES = [
    "billing_invoice",
    "billing_invoiceline",
    "billing_payment",
    "billing_creditnote",
    "billing_invoicevoid",
    "billing_receipt",
    "billing_staffsignature",
]


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [AppendOnly(table) for table in TABLES]
