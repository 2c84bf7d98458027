from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("booking", "0008_service_description")]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="status_reason",
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name="reason"),
        ),
        migrations.AddField(
            model_name="appointment",
            name="outside_hours_reason",
            field=models.CharField(
                blank=True, max_length=300, null=True, verbose_name="reason for booking outside working hours"
            ),
        ),
    ]
