from django.db import migrations

from bodymap.appendonly import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]

    operations = [AppendOnly("consent_consentrecord")]
