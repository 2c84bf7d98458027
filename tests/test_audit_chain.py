"""The audit log's hash chain, and `bodymap verify_audit` finding what was changed behind its back."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from bodymap.audit import chain
from bodymap.audit.log import record, record_many
from bodymap.audit.models import AuditAction, AuditEntry
from bodymap.audit.operations import seal_existing
from bodymap.integrity.live import problems
from bodymap.integrity.operations import AppendOnly

TABLE = "audit_auditentry"


def write(cast, n=3):
    with transaction.atomic():
        return [
            record(
                actor=cast.therapist.user,
                practice=cast.practice,
                action=AuditAction.VIEW,
                subject_type="client",
                subject_public_id=cast.client.public_id,
                shown=i,
            )
            for i in range(n)
        ]


def behind_the_apps_back(sql, params=()):
    """What the tables' owner can do: lift the append-only trigger, run `sql`, put the trigger back."""
    guard = AppendOnly(TABLE)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TABLE}_no_change")
        else:
            for statement in guard.remove_sql("sqlite"):
                cursor.execute(statement)
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TABLE}_no_change")
        else:
            for statement in guard.install_sql("sqlite"):
                cursor.execute(statement)
    assert problems(connection) == ([], []), "the trigger is back: `bodymap check` sees nothing amiss"


def test_it_chains_every_entry_to_the_one_before(cast, capsys):
    first, second, third = write(cast)
    assert first.chain_hash == chain.link(
        chain.GENESIS, AuditEntry.objects.values(*chain.FIELDS).get(pk=first.pk)
    )
    assert second.chain_hash == chain.link(first.chain_hash, second.__dict__)
    call_command("verify_audit")
    assert f"intact: 3 entries, head {third.chain_hash}" in capsys.readouterr().out


def test_it_chains_entries_written_together(cast):
    write(cast, 1)
    with transaction.atomic():
        record_many(
            actor=cast.owner.user,
            practice=cast.practice,
            request=None,
            entries=[(AuditAction.VIEW, "note", None, {"n": i}) for i in range(3)],
        )
    assert chain.verify().broken is None
    assert chain.verify().count == 4


def test_it_finds_a_row_altered_behind_the_apps_back(cast):
    first, second, third = write(cast)
    behind_the_apps_back(
        "UPDATE audit_auditentry SET actor_label = %s WHERE id = %s", ["someone@else", second.pk]
    )
    with pytest.raises(CommandError, match=f"broken at entry {second.pk} .*1 entries before it are intact"):
        call_command("verify_audit")


def test_it_finds_a_row_removed_behind_the_apps_back(cast):
    first, second, third = write(cast)
    behind_the_apps_back("DELETE FROM audit_auditentry WHERE id = %s", [second.pk])
    with pytest.raises(CommandError, match=f"broken at entry {third.pk} "):
        call_command("verify_audit")


def test_it_chains_entries_written_before_the_chain_existed(cast):
    """The migration that added the chain seals the entries already in the log, in id order."""
    write(cast)
    behind_the_apps_back("UPDATE audit_auditentry SET chain_hash = NULL, client_public_id = NULL")
    assert chain.verify().broken is not None
    seal_existing(connection)
    assert chain.verify().broken is None
    assert AuditEntry.objects.filter(client_public_id=cast.client.public_id).count() == 3
    assert problems(connection) == ([], [])
