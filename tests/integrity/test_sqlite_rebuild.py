"""A SQLite migration that rebuilds a table must not leave it unprotected.

SQLite cannot alter a column in place: Django copies the table to a new one and drops the old,
and the old table's triggers go with it. This runs in a fresh SQLite database in a subprocess, so
the rebuild touches nothing the rest of the suite uses.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import copy, django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.apps import apps

    call_command("migrate", verbosity=0)
    model = apps.get_model("{app}", "{model}")
    old = model._meta.get_field("{field}")
    new = copy.deepcopy(old)
    new.max_length = old.max_length + 1
    with connection.schema_editor() as editor:  # what an AlterField on this column runs
        editor.alter_field(model, old, new)
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", ["{table}"])
        print(" ".join(sorted(row[0] for row in cursor.fetchall())) or "no triggers")
    """
)


@pytest.mark.parametrize(
    ("app", "model", "field", "table", "triggers"),
    [
        (
            "consent",
            "ConsentRecord",
            "signature",
            "consent_consentrecord",
            "consent_consentrecord_no_delete consent_consentrecord_no_update",
        ),
        (
            "notes",
            "SessionNote",
            "signature",
            "notes_sessionnote",
            "notes_sessionnote_locked_delete notes_sessionnote_locked_update",
        ),
        (
            "booking",
            "Appointment",
            "status",
            "booking_appointment",
            "appointment_therapist_no_overlap_insert appointment_therapist_no_overlap_update",
        ),
    ],
)
def test_it_reinstalls_the_triggers_after_a_migration_rebuilds_the_table(
    tmp_path, app, model, field, table, triggers
):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_SETTINGS_MODULE"))
    }
    # No DATABASE_URL: a new SQLite database under the temporary var directory.
    env.update(
        BODYMAP_ENV="development", BODYMAP_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="bodymap.settings"
    )
    script = SCRIPT.format(app=app, model=model, field=field, table=table)
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == triggers
