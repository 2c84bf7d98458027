"""Appointments remember a keyed hash of the request that carried their idempotency key."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0005_identity"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="idempotency_fingerprint",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
    ]
