"""The database refuses two appointments that hold the same therapist's time.

PostgreSQL: an exclusion constraint over the therapist and the time range (turnover buffer
included), for every status except cancelled; btree_gist lets a GiST index compare the therapist id.
SQLite: triggers refuse an INSERT or UPDATE that would overlap. Writers are serialised there anyway
(BEGIN IMMEDIATE), so the triggers are the last line, not the only one.
"""

from django.db import migrations

NAME = "appointment_therapist_no_overlap"
TABLE = "booking_appointment"

POSTGRESQL = [
    # The postgres superuser (CI, `createdb` installs) may create it; elsewhere a DBA runs this once.
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE {TABLE} ADD CONSTRAINT {NAME} EXCLUDE USING gist (
        therapist_id WITH =,
        tstzrange("start", COALESCE("holds_until", "end"), '[)') WITH &&
    ) WHERE (status <> 'cancelled')""",
]
POSTGRESQL_BACK = [f"ALTER TABLE {TABLE} DROP CONSTRAINT IF EXISTS {NAME}"]

# Django stores SQLite datetimes as ISO text in UTC, so text comparison orders them correctly.
_OVERLAP = f"""SELECT RAISE(ABORT, '{NAME}') WHERE NEW.status <> 'cancelled' AND EXISTS (
    SELECT 1 FROM {TABLE} AS other
    WHERE other.therapist_id = NEW.therapist_id AND other.status <> 'cancelled' AND other.id <> NEW.id
      AND other."start" < COALESCE(NEW.holds_until, NEW."end")
      AND COALESCE(other.holds_until, other."end") > NEW."start")"""  # noqa: S608 - constants only
SQLITE = [
    f"CREATE TRIGGER {NAME}_insert BEFORE INSERT ON {TABLE} BEGIN {_OVERLAP}; END;",
    f"""CREATE TRIGGER {NAME}_update BEFORE UPDATE OF "start", "end", holds_until, status, therapist_id
        ON {TABLE} BEGIN {_OVERLAP}; END;""",
]
SQLITE_BACK = [f"DROP TRIGGER IF EXISTS {NAME}_insert", f"DROP TRIGGER IF EXISTS {NAME}_update"]


def _run(schema_editor, forward):
    vendor = schema_editor.connection.vendor
    statements = {
        ("postgresql", True): POSTGRESQL,
        ("postgresql", False): POSTGRESQL_BACK,
        ("sqlite", True): SQLITE,
        ("sqlite", False): SQLITE_BACK,
    }.get((vendor, forward))
    if statements is None:
        raise RuntimeError(f"Bodymap cannot prevent double bookings on {vendor}: use SQLite or PostgreSQL.")
    for sql in statements:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("booking", "0002_booking_rules")]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: _run(schema_editor, True),
            lambda apps, schema_editor: _run(schema_editor, False),
        ),
    ]
