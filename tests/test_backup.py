"""`bodymap backup` and `bodymap restore`: a backup restored into an empty database is the same
database, and the restore proves it (row counts, every guard, the audit chain)."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.utils import load_backend

from bodymap.accounts.models import Practice, User
from bodymap.audit.backup import manifest_path, row_counts
from bodymap.audit.log import record
from bodymap.audit.management.commands.backup import Command as Backup
from bodymap.audit.management.commands.restore import Command as Restore
from bodymap.audit.models import AuditAction, AuditEntry
from bodymap.clients.models import Client
from bodymap.integrity.operations import AppendOnly
from tests.browser.conftest import APPS

# The audit table refuses the DELETE that ends a transactional test, so it is emptied by hand. Its
# app is left out of the test's apps, so its commands are called as objects.
pytestmark = pytest.mark.django_db(transaction=True, available_apps=APPS)


@pytest.fixture
def practice():
    practice = Practice.objects.create(name="Backed Up", slug="backed-up", timezone="America/Toronto")
    owner = User.objects.create_user(email="owner@backup.example.com", full_name="Owner")
    client = Client.objects.create(practice=practice, first_name="Sam", last_name="Rivera")
    with transaction.atomic():
        for n in range(5):
            record(
                actor=owner,
                practice=practice,
                action=AuditAction.VIEW,
                subject_type="client",
                subject_public_id=client.public_id,
                shown=n,
            )
    yield practice
    guard = AppendOnly("audit_auditentry")
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in guard.remove_sql(connection.vendor):
            cursor.execute(sql)
        cursor.execute("DELETE FROM audit_auditentry")
        for sql in guard.install_sql(connection.vendor):
            cursor.execute(sql)


@pytest.fixture
def empty_database(tmp_path):
    """A second, empty database: a new SQLite file, or a freshly created PostgreSQL database."""
    alias = "restored"
    config = {**connections["default"].settings_dict}
    if connection.vendor == "sqlite":
        config["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        config["NAME"] = f"{config['NAME']}_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    # Made by hand, not through settings: the test database machinery guards configured aliases.
    connections[alias] = load_backend(config["ENGINE"]).DatabaseWrapper(config, alias)
    yield alias
    connections[alias].close()
    del connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')


def _everything(alias):
    target = connections[alias]
    with target.cursor() as cursor:
        tables = sorted(target.introspection.table_names(cursor))
        contents = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {target.ops.quote_name(table)} ORDER BY 1")  # noqa: S608
            contents[table] = [tuple(str(v) for v in row) for row in cursor.fetchall()]
    return contents


def test_it_restores_an_identical_verified_database(practice, empty_database, tmp_path, capsys):
    backup = tmp_path / "practice.backup"
    call_command(Backup(), str(backup))
    manifest = json.loads(manifest_path(backup).read_text())
    # The practice's five entries, and any that earlier transactional tests left in the log.
    assert manifest["tables"]["audit_auditentry"] == AuditEntry.objects.count() >= 5
    assert manifest["tables"] == row_counts(connection)

    call_command(Restore(), str(backup), database=empty_database)
    assert "Restored and verified" in capsys.readouterr().out
    assert _everything(empty_database) == _everything("default")


def test_it_refuses_to_restore_into_a_database_that_is_not_empty(practice, tmp_path):
    backup = tmp_path / "practice.backup"
    call_command(Backup(), str(backup))
    with pytest.raises(CommandError, match="is not empty"):
        call_command(Restore(), str(backup))
    assert Client.objects.count() == 1


def test_it_reports_a_restore_that_does_not_match_its_manifest(practice, empty_database, tmp_path):
    backup = tmp_path / "practice.backup"
    call_command(Backup(), str(backup))
    manifest = json.loads(manifest_path(backup).read_text())
    manifest["tables"]["clients_client"] = 2
    manifest_path(backup).write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="clients_client: 1 rows, the backup had 2"):
        call_command(Restore(), str(backup), database=empty_database)
