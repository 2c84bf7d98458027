from django.db import migrations

from bodymap.appendonly import AppendOnly, LockedOnceSet


class Migration(migrations.Migration):
    dependencies = [("notes", "0001_initial")]

    operations = [
        LockedOnceSet("notes_sessionnote", "signed_at"),
        AppendOnly("notes_addendum"),
        AppendOnly("notes_painrating"),
        AppendOnly("notes_functionalrating"),
    ]
