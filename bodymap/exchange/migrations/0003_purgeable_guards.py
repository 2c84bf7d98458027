from django.db import migrations

from bodymap.exchange.guards import PURGEABLE_TABLES, PurgeableAppendOnly, PurgeableLock


class Migration(migrations.Migration):
    """Records past retention can be destroyed, only through the purge's permit (see guards.py)."""

    dependencies = [
        ("exchange", "0002_retention"),
        ("consent", "0003_consentrecord_guardian_name"),
        ("notes", "0002_locking"),
        ("safety", "0002_append_only"),
        ("billing", "0004_gift_cards_append_only"),
    ]

    operations = [PurgeableAppendOnly(table) for table in PURGEABLE_TABLES] + [
        PurgeableLock("notes_sessionnote", "signed_at")
    ]
