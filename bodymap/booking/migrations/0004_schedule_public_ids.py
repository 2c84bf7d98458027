"""Day changes and time off get public ids, so the setup pages can name them in URLs.

Three steps, as a unique field with a callable default needs: add it empty, give every existing row
its own id, then make it unique.
"""

import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    for name in ("DayOverride", "TimeOff"):
        model = apps.get_model("booking", name)
        for row in model.objects.filter(public_id__isnull=True).only("pk"):
            row.public_id = uuid.uuid4()
            row.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [("booking", "0003_no_double_booking")]

    operations = [
        migrations.AddField("dayoverride", "public_id", models.UUIDField(null=True, editable=False)),
        migrations.AddField("timeoff", "public_id", models.UUIDField(null=True, editable=False)),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            "dayoverride",
            "public_id",
            models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
        migrations.AlterField(
            "timeoff",
            "public_id",
            models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
