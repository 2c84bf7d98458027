from django.db import migrations

from bodymap.appendonly import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("safety", "0001_initial")]

    operations = [AppendOnly("safety_safetyalert"), AppendOnly("safety_safetyreview")]
