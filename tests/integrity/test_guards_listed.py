"""The triggers and constraints Bodymap relies on, listed, and all present on the live database."""

from django.db import connection

from bodymap.integrity.live import expected_guards, live_guards

APPEND_ONLY = ["audit_auditentry", "consent_consentrecord", "notes_addendum", "notes_painrating"]
APPEND_ONLY += ["notes_functionalrating"]

SQLITE = {
    *(f"{t}_no_{op}" for t in APPEND_ONLY for op in ("update", "delete")),
    "notes_sessionnote_locked_update",
    "notes_sessionnote_locked_delete",
    "appointment_therapist_no_overlap_insert",
    "appointment_therapist_no_overlap_update",
}
POSTGRESQL = {
    *(f"{t}_no_{op}" for t in APPEND_ONLY for op in ("change", "truncate")),
    "notes_sessionnote_locked",
    "notes_sessionnote_no_truncate",
    "appointment_therapist_no_overlap",
}
DECLARED = {
    "appointment_ends_after_start",
    "appointment_holds_until_after_end",
    "appointment_idempotency_key_once",
    "therapist_slug_once_per_practice",
    "service_slug_once_per_practice",
    "hours_end_after_start",
}


def test_it_lists_every_guard_this_database_must_carry(db):
    names = {guard.name for guard in expected_guards(connection)}
    assert names >= (SQLITE if connection.vendor == "sqlite" else POSTGRESQL) | DECLARED


def test_it_finds_every_guard_on_the_live_database_and_enabled(db):
    live = live_guards(connection)
    assert [guard for guard in expected_guards(connection) if not live.get(guard)] == []


def test_migrate_puts_back_a_guard_that_went_missing(db):
    from django.core.management.sql import emit_post_migrate_signal

    trigger = (
        "notes_sessionnote_locked_update"
        if connection.vendor == "sqlite"
        else "notes_sessionnote_no_truncate"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"DROP TRIGGER {trigger}" + ("" if connection.vendor == "sqlite" else " ON notes_sessionnote")
        )
    assert trigger not in {guard.name for guard in live_guards(connection)}
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # the end of every `migrate`
    assert trigger in {guard.name for guard in live_guards(connection)}
