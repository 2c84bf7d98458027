"""`bodymap db_roles`: the app's runtime role cannot switch off what makes records append-only.

Everything runs in the test's transaction: the roles, the change of owner and the grants are
rolled back afterwards. SET ROLE makes PostgreSQL check every privilege as the runtime role.
"""

import uuid

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from bodymap.integrity.checks import database_role
from tests.integrity.conftest import PROTECTED

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no roles")


@pytest.fixture
def runtime(protected_rows):
    suffix = uuid.uuid4().hex[:8]
    owner, runtime = f"bm_owner_{suffix}", f"bm_app_{suffix}"
    with connection.cursor() as cursor:
        # The cast's deferred foreign-key checks would stop ALTER TABLE ... OWNER in this transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("db_roles", owner=owner, runtime=runtime, apply=True, stdout=None)
    return owner, runtime


class Undo(Exception):
    pass


def as_role(role, sql):
    """Run `sql` as `role` and undo it; return the error PostgreSQL gave, or None if it ran."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {role}")
            cursor.execute(sql)
            raise Undo
    except Undo:
        return None
    except DatabaseError as error:
        return str(error)


@postgresql_only
@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE {table} CASCADE",
        "ALTER TABLE {table} ADD COLUMN sneaked text",
        "ALTER TABLE {table} DISABLE TRIGGER USER",
        "ALTER TABLE {table} DISABLE TRIGGER {trigger}",
        "DROP TRIGGER {trigger} ON {table}",
        "CREATE TRIGGER sneaked BEFORE INSERT ON {table} EXECUTE FUNCTION bodymap_refuse_change()",
    ],
)
def test_the_runtime_role_cannot_remove_a_guard(runtime, statement):
    owner, app = runtime
    for table in PROTECTED:
        trigger = "notes_sessionnote_locked" if table == "notes_sessionnote" else f"{table}_no_change"
        sql = statement.format(table=table, trigger=trigger)
        # The owner may: the refusal below is the role's, not a mistake in the statement.
        owner_error = as_role(owner, sql)
        assert owner_error is None or "refused" in owner_error, owner_error
        error = as_role(app, sql)
        assert error is not None and ("permission denied" in error or "must be owner" in error), (sql, error)


@postgresql_only
def test_the_runtime_role_cannot_turn_off_triggers_for_its_session(runtime):
    error = as_role(runtime[1], "SET session_replication_role = replica")
    assert error is not None and "permission denied" in error


@postgresql_only
def test_the_runtime_role_does_the_apps_work(runtime, cast):
    assert as_role(runtime[1], "SELECT COUNT(*) FROM notes_sessionnote") is None
    assert as_role(runtime[1], "UPDATE clients_client SET first_name = first_name") is None
    assert as_role(runtime[1], "DELETE FROM django_session") is None
    assert as_role(runtime[1], "UPDATE notes_sessionnote SET plan = 'x'") is not None  # signed: locked


@postgresql_only
def test_the_check_is_quiet_for_the_runtime_role_and_warns_for_the_owner(runtime):
    def warnings(role):
        found = []
        with pytest.raises(Undo), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {role}")
            found = [m.id for m in database_role(databases=["default"])]
            raise Undo
        return found

    assert warnings(runtime[1]) == []
    assert warnings(runtime[0]) == ["bodymap.W102", "bodymap.W103"]


def test_it_says_what_sqlite_can_and_cannot_promise(db, capsys, settings):
    if connection.vendor == "sqlite":
        call_command("db_roles")
        assert "whoever can write the database file can drop its triggers" in capsys.readouterr().out
    else:
        call_command("db_roles", owner="bodymap_owner", runtime="bodymap_app")
        printed = capsys.readouterr().out
        assert "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO bodymap_app" in printed
        grants = [line for line in printed.splitlines() if "GRANT" in line and "bodymap_app" in line]
        assert grants and not [
            line for line in grants if "TRUNCATE" in line or "ALL" in line.split(" ON ")[0]
        ]


@pytest.fixture
def scratch_database(db):
    """A fresh database with the two roles made by db_roles' SQL, logged into for real; dropped after."""
    import psycopg

    from bodymap.integrity.operations import AppendOnly
    from bodymap.integrity.roles import role_sql

    settings = connection.settings_dict
    suffix = uuid.uuid4().hex[:8]
    name, owner, runtime = f"{settings['NAME']}_roles_{suffix}", f"bm_owner_{suffix}", f"bm_app_{suffix}"

    def login(role, dbname=name):
        return psycopg.connect(
            host=settings["HOST"], port=settings["PORT"], user=role, dbname=dbname, autocommit=True
        )

    with login(settings["USER"], settings["NAME"]) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        with login(settings["USER"]) as admin:
            for sql in role_sql(name, owner, runtime):
                admin.execute(sql)
        with login(owner) as as_owner:  # what `migrate` does, as the owner
            as_owner.execute("CREATE TABLE audit_auditentry (id bigint PRIMARY KEY, action text)")
            for sql in AppendOnly("audit_auditentry").install_sql("postgresql"):
                as_owner.execute(sql)
        yield login(runtime)
    finally:
        with login(settings["USER"], settings["NAME"]) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {runtime}")
            admin.execute(f"DROP ROLE IF EXISTS {owner}")


@postgresql_only
def test_the_runtime_role_signed_in_works_but_cannot_remove_a_guard(scratch_database):
    import psycopg

    with scratch_database as app:
        # Granted through default privileges on a table the owner made after the roles.
        app.execute("INSERT INTO audit_auditentry VALUES (1, 'view')")
        assert app.execute("SELECT action FROM audit_auditentry").fetchall() == [("view",)]
        for sql in (
            "TRUNCATE audit_auditentry",
            "ALTER TABLE audit_auditentry ADD COLUMN sneaked text",
            "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_no_change",
            "DROP TRIGGER audit_auditentry_no_change ON audit_auditentry",
            "SET session_replication_role = replica",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(sql)
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="append-only"):
            app.execute("DELETE FROM audit_auditentry")
