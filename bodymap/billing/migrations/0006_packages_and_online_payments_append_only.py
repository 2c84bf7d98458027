from django.db import migrations

from bodymap.appendonly import AppendOnly

# A package's sale, its sessions used and its write-off, and what Stripe told us, are never changed.
TABLES = ["billing_package", "billing_packageentry", "billing_onlinecheckout", "billing_onlineevent"]


class Migration(migrations.Migration):
    dependencies = [("billing", "0005_packages_and_online_payments")]

    operations = [AppendOnly(table) for table in TABLES]
