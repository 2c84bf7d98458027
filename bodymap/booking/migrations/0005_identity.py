"""Appointments say whether their client is known to be the one who booked them.

Adding a column rebuilds the table on SQLite, which drops its triggers; the overlap triggers of 0003
are put back in the same migration. Online bookings made before this are taken as confirmed only when
the booking created its client: those that were matched to an existing client by email are not.
"""

from datetime import timedelta

from django.db import migrations, models

from bodymap.integrity.operations import NoOverlap

_overlap = NoOverlap("booking_appointment", "appointment_therapist_no_overlap")


def reinstall_overlap_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in _overlap.install_sql("sqlite"):
            schema_editor.execute(sql, params=None)


def unconfirm_matched_online_bookings(apps, schema_editor):
    Appointment = apps.get_model("booking", "Appointment")
    for appointment in Appointment.objects.filter(booked_online=True).select_related("client"):
        created_with_client = abs(appointment.client.created_at - appointment.created_at) < timedelta(
            minutes=1
        )
        if not created_with_client:
            Appointment.objects.filter(pk=appointment.pk).update(identity_confirmed=False)


class Migration(migrations.Migration):
    dependencies = [("booking", "0004_schedule_public_ids"), ("clients", "0001_initial")]

    operations = [
        # Undoing the column rebuilds the table again; this puts the triggers back after that.
        migrations.RunPython(migrations.RunPython.noop, reinstall_overlap_triggers),
        migrations.AddField(
            model_name="appointment",
            name="identity_confirmed",
            field=models.BooleanField(default=True),
        ),
        migrations.RunPython(reinstall_overlap_triggers, migrations.RunPython.noop),
        migrations.RunPython(unconfirm_matched_online_bookings, migrations.RunPython.noop),
    ]
