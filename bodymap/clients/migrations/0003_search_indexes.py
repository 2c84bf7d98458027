"""Trigram indexes for the client search on PostgreSQL; SQLite has no use for them.

Each index is over UPPER("field"::text), the expression Django's `icontains` compiles to, so a
search reads the index instead of every client of every practice. pg_trgm is a trusted extension:
the database owner creates it (`bodymap db_roles` does too).
"""

from django.db import migrations

# The fields bodymap.clients.search searches, as they were when this migration was written.
SEARCHED = ("first_name", "last_name", "preferred_name", "email", "phone")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for field in SEARCHED:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS client_{field}_trgm ON clients_client "  # noqa: S608 - constants
            f'USING gin ((UPPER("{field}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for field in SEARCHED:
        schema_editor.execute(f"DROP INDEX IF EXISTS client_{field}_trgm")


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_identity")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
