from django.db import migrations

from bodymap.audit.operations import SealExistingEntries


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_audit_chain")]

    operations = [SealExistingEntries()]
