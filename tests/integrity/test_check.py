"""`bodymap check` reads the live database: a missing or disabled guard is an error."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection


def test_it_passes_on_a_migrated_database(db, capsys):
    call_command("check", "--fail-level", "ERROR")  # raises SystemCheckError on any error
    printed = capsys.readouterr()
    assert "System check identified" in printed.out + printed.err
    assert "bodymap.E1" not in printed.out + printed.err


@pytest.mark.parametrize(
    ("sqlite", "postgresql", "named"),
    [
        (
            "DROP TRIGGER notes_functionalrating_no_update",
            "DROP TRIGGER notes_functionalrating_no_change ON notes_functionalrating",
            "notes_functionalrating",
        ),
        (
            "DROP TRIGGER consent_consentrecord_no_delete",
            "DROP TRIGGER consent_consentrecord_no_truncate ON consent_consentrecord",
            "consent_consentrecord",
        ),
        (
            "DROP TRIGGER appointment_therapist_no_overlap_insert",
            "ALTER TABLE booking_appointment DROP CONSTRAINT appointment_therapist_no_overlap",
            "appointment_therapist_no_overlap",
        ),
    ],
)
def test_it_fails_when_a_guard_is_missing(db, sqlite, postgresql, named):
    with connection.cursor() as cursor:  # undone when the test's transaction rolls back
        cursor.execute(sqlite if connection.vendor == "sqlite" else postgresql)
    with pytest.raises(SystemCheckError, match=rf"(?s)bodymap\.E101.*{named}.*is missing"):
        call_command("check")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite cannot switch a trigger off")
def test_it_fails_when_a_trigger_is_disabled(db):
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_no_change")
    with pytest.raises(SystemCheckError, match=r"bodymap\.E102.*audit_auditentry_no_change.*disabled"):
        call_command("check")


def test_it_fails_when_a_retention_purge_permit_was_committed(db):
    """A purge holds its permit only inside its own transaction; a committed one opens every
    append-only table to DELETE, so the check names it."""
    from bodymap.exchange.models import PurgePermit

    PurgePermit.objects.create()  # undone when the test's transaction rolls back
    with pytest.raises(SystemCheckError, match=r"bodymap\.E103.*purge permit is committed"):
        call_command("check")


def test_it_fails_when_a_declared_constraint_is_missing(db):
    with connection.cursor() as cursor:  # a partial unique index on both databases
        cursor.execute("DROP INDEX appointment_idempotency_key_once")
    with pytest.raises(SystemCheckError, match=r"appointment_idempotency_key_once.*is missing"):
        call_command("check")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no roles")
def test_it_warns_when_the_app_connects_as_a_superuser(db, capsys):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone()[0], "the suite connects as a superuser, as CI does"
    call_command("check")
    assert "bodymap.W101" in capsys.readouterr().err
