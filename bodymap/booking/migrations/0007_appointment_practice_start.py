from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("booking", "0006_idempotency_fingerprint")]

    operations = [
        migrations.AddIndex(
            model_name="appointment",
            index=models.Index(fields=["practice", "start"], name="appointment_practice_start"),
        ),
    ]
