"""The guards are migration operations a migration file can hold, so squashing keeps them."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.writer import OperationWriter

from bodymap.integrity.live import live_guards
from bodymap.integrity.operations import AppendOnly, LockedOnceSet, NoOverlap

NOW = datetime(2031, 3, 12, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "operation",
    [
        AppendOnly("notes_functionalrating"),
        LockedOnceSet("notes_sessionnote", "signed_at"),
        NoOverlap("booking_appointment", "appointment_therapist_no_overlap"),
    ],
)
def test_it_writes_each_guard_as_a_named_operation(operation):
    text, imports = OperationWriter(operation).serialize()
    assert imports == {"import bodymap.integrity.operations"}
    rebuilt = eval(text.strip().rstrip(","), {"bodymap": __import__("bodymap.integrity.operations")})  # noqa: S307
    assert type(rebuilt) is type(operation)
    for vendor in ("sqlite", "postgresql"):
        assert rebuilt.install_sql(vendor) == operation.install_sql(vendor)


# Scratch tables, made and dropped inside each test's transaction, so an operation is installed and
# removed exactly as a migration would, without touching the tables the rest of the suite uses.
SCRATCH = {
    "scratch_log": {
        "sqlite": "CREATE TABLE scratch_log (id integer PRIMARY KEY, body text)",
        "postgresql": "CREATE TABLE scratch_log (id serial PRIMARY KEY, body text)",
    },
    "scratch_note": {
        "sqlite": "CREATE TABLE scratch_note (id integer PRIMARY KEY, body text, signed_at text NULL)",
        "postgresql": """CREATE TABLE scratch_note (id serial PRIMARY KEY, body text,
            signed_at timestamptz NULL)""",
    },
    "scratch_booking": {
        "sqlite": """CREATE TABLE scratch_booking (id integer PRIMARY KEY, therapist_id integer,
            "start" text, "end" text, holds_until text NULL, status text)""",
        "postgresql": """CREATE TABLE scratch_booking (id serial PRIMARY KEY, therapist_id integer,
            "start" timestamptz, "end" timestamptz, holds_until timestamptz NULL, status text)""",
    },
}


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _refused(statement, message, params=()):
    with pytest.raises(IntegrityError, match=message), transaction.atomic():
        _sql(statement, params)


def _forwards(operation):
    operation.database_forwards("integrity", connection.schema_editor(), None, None)


def _backwards(operation):
    operation.database_backwards("integrity", connection.schema_editor(), None, None)


def _live_on(table):
    return {guard for guard in live_guards(connection) if guard.table == table}


def _scratch(table, operation):
    _sql(SCRATCH[table][connection.vendor])
    _forwards(operation)
    assert set(operation.guards(connection.vendor)) <= _live_on(table)


def _removed(operation, table):
    _backwards(operation)
    assert not set(operation.guards(connection.vendor)) & _live_on(table)


def test_an_append_only_table_refuses_update_and_delete_until_the_guard_is_removed(db):
    operation = AppendOnly("scratch_log")
    _scratch("scratch_log", operation)
    _sql("INSERT INTO scratch_log (body) VALUES ('kept')")
    _refused("UPDATE scratch_log SET body = 'changed'", "append-only table: UPDATE refused on scratch_log")
    _refused("DELETE FROM scratch_log", "append-only table: DELETE refused on scratch_log")
    if connection.vendor == "postgresql":
        _refused("TRUNCATE scratch_log", "append-only table: TRUNCATE refused on scratch_log")
    _removed(operation, "scratch_log")
    _sql("UPDATE scratch_log SET body = 'changed'")
    _sql("DELETE FROM scratch_log")


def test_a_locked_row_refuses_changes_once_signed_and_a_draft_stays_free(db):
    operation = LockedOnceSet("scratch_note", "signed_at")
    _scratch("scratch_note", operation)
    _sql("INSERT INTO scratch_note (body, signed_at) VALUES ('draft', NULL), ('signed', %s)", [NOW])
    _sql("UPDATE scratch_note SET body = 'draft, edited' WHERE signed_at IS NULL")
    locked = "signed record is locked: {} refused on scratch_note"
    _refused("UPDATE scratch_note SET body = 'x' WHERE signed_at IS NOT NULL", locked.format("UPDATE"))
    _refused("DELETE FROM scratch_note WHERE signed_at IS NOT NULL", locked.format("DELETE"))
    _sql("DELETE FROM scratch_note WHERE signed_at IS NULL")
    if connection.vendor == "postgresql":
        _refused("TRUNCATE scratch_note", "append-only table: TRUNCATE refused on scratch_note")
    _removed(operation, "scratch_note")
    _sql("UPDATE scratch_note SET body = 'x'")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_proc WHERE proname = 'bodymap_refuse_change_scratch_note'"
            )
            assert cursor.fetchone()[0] == 0  # its function goes with it


def test_overlapping_time_for_one_therapist_is_refused_until_the_guard_is_removed(db):
    operation = NoOverlap("scratch_booking", "scratch_no_overlap")
    _scratch("scratch_booking", operation)

    def book(therapist, start, end, holds_until=None, status="booked"):
        at = NOW.replace(hour=0)
        times = [at + timedelta(hours=h) if h is not None else None for h in (start, end, holds_until)]
        _sql(
            'INSERT INTO scratch_booking (therapist_id, "start", "end", holds_until, status)'
            " VALUES (%s, %s, %s, %s, %s)",
            [therapist, *(_stored(t) for t in times), status],
        )

    book(1, 9, 10)
    with pytest.raises(IntegrityError, match="scratch_no_overlap"), transaction.atomic():
        book(1, 9.5, 10.5)
    book(1, 10, 11, holds_until=11.5)  # starts as the other ends; its turnover runs to 11:30
    with pytest.raises(IntegrityError, match="scratch_no_overlap"), transaction.atomic():
        book(1, 11.25, 12)  # inside the turnover
    book(2, 9.5, 10.5)  # another therapist
    book(1, 9.5, 10.5, status="cancelled")
    with pytest.raises(IntegrityError, match="scratch_no_overlap"), transaction.atomic():
        _sql("UPDATE scratch_booking SET status = 'booked' WHERE status = 'cancelled'")
    _removed(operation, "scratch_booking")
    book(1, 9.5, 10.5)


def _stored(moment):
    """How Django stores a datetime in a raw query: ISO text in UTC on SQLite, timestamptz on PostgreSQL."""
    if moment is None or connection.vendor == "postgresql":
        return moment
    return moment.astimezone(UTC).isoformat(sep=" ")


def test_it_names_the_database_it_cannot_protect():
    other = SimpleNamespace(connection=SimpleNamespace(vendor="mysql"))
    with pytest.raises(RuntimeError, match="on SQLite or PostgreSQL, not mysql"):
        AppendOnly("scratch_log").database_forwards("integrity", other, None, None)
