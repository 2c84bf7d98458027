"""The database refuses two appointments that hold the same therapist's time.

PostgreSQL: an exclusion constraint over the therapist and the time range (turnover buffer
included), for every status except cancelled. SQLite: triggers refuse an INSERT or UPDATE that
would overlap. Both are defined in `bodymap.integrity.operations.NoOverlap`.
"""

from django.db import migrations

from bodymap.integrity.operations import NoOverlap


class Migration(migrations.Migration):
    dependencies = [("booking", "0002_booking_rules")]

    operations = [NoOverlap("booking_appointment", "appointment_therapist_no_overlap")]
