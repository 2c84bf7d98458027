"""Chaining the entries written before the hash chain existed, as a named migration operation."""

from django.db.migrations.operations.base import Operation

from bodymap.audit import chain
from bodymap.integrity.operations import AppendOnly

TABLE = "audit_auditentry"


class SealExistingEntries(Operation):
    """Set client_public_id and chain_hash on entries written before those columns existed.

    The table refuses UPDATE, so this lifts the append-only triggers, fills the two new columns
    (and nothing else) in id order, and puts the triggers back, all inside the migration's
    transaction: no other connection sees the table unguarded, and a failure undoes all of it.
    Only the migration's owner role may drop triggers; the app's runtime role cannot.
    """

    reversible = True
    reduces_to_sql = False

    def describe(self):
        return "Chain the audit entries written before the hash chain"

    @property
    def migration_name_fragment(self):
        return "seal_existing_entries"

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        seal_existing(schema_editor.connection)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass  # the columns go with the schema migration before this one


def seal_existing(connection):
    """Chain every entry, when some were written before the chain. Run inside a transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {TABLE} WHERE chain_hash IS NULL LIMIT 1")  # noqa: S608
        if cursor.fetchone() is None:
            return
        guard = AppendOnly(TABLE)
        for sql in guard.remove_sql(connection.vendor):
            cursor.execute(sql)
        _seal_all(connection)
        for sql in guard.install_sql(connection.vendor):
            cursor.execute(sql)


def _seal_all(connection, batch=5000):
    from bodymap.audit.log import _client_of

    previous, last_id = chain.GENESIS, 0
    columns = ", ".join(("id", *chain.FIELDS))
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} FROM {TABLE} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608
                [last_id, batch],
            )
            rows = [_decoded(connection, dict(zip(("id", *chain.FIELDS), r, strict=True))) for r in cursor]
        if not rows:
            return
        updates = []
        for row in rows:
            row["client_public_id"] = _client_of(
                row["subject_type"], row["subject_public_id"], row["details"]
            )
            previous = chain.link(previous, row)
            client = None if row["client_public_id"] is None else str(row["client_public_id"])
            if connection.vendor == "sqlite" and client:
                client = client.replace("-", "")  # Django stores SQLite UUIDs as 32 hex digits
            updates.append((client, previous, row["id"]))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {TABLE} SET client_public_id = %s, chain_hash = %s WHERE id = %s",  # noqa: S608
                updates,
            )
        last_id = rows[-1]["id"]


def _decoded(connection, row):
    """Raw SQL values as the ORM would read them, so the hash matches what verify_audit recomputes."""
    import json
    import uuid
    from datetime import UTC, datetime

    for key in ("public_id", "subject_public_id", "client_public_id"):
        if row[key] is not None and not isinstance(row[key], uuid.UUID):
            row[key] = uuid.UUID(str(row[key]))
    if isinstance(row["details"], str):
        row["details"] = json.loads(row["details"])
    if isinstance(row["created_at"], str):
        row["created_at"] = datetime.fromisoformat(row["created_at"]).replace(tzinfo=UTC)
    return row
