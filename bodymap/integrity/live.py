"""The guards a live database should carry, the ones it does carry, and putting back what is missing.

What a database should carry follows from the migrations applied to it: every `Protection`
operation in an applied migration, plus every constraint declared on a model.
"""

from django.apps import apps
from django.db import transaction
from django.db.migrations.loader import MigrationLoader

from bodymap.integrity.operations import Guard, Protection


def expected_protections(connection) -> list[Protection]:
    """The protection operations of every applied migration, in the order they were applied."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied = loader.applied_migrations or {}
    seen, found = set(), []
    for leaf in sorted(loader.graph.leaf_nodes()):
        for key in loader.graph.forwards_plan(leaf):
            if key in seen or key not in applied:
                continue
            seen.add(key)
            found.extend(op for op in loader.graph.nodes[key].operations if isinstance(op, Protection))
    return found


def model_constraints(connection) -> list[Guard]:
    """Constraints declared on models (CheckConstraint, UniqueConstraint) whose table exists."""
    tables = set(connection.introspection.table_names())
    return [
        Guard("constraint", model._meta.db_table, constraint.name)
        for model in apps.get_models()
        if model._meta.managed and model._meta.db_table in tables
        for constraint in model._meta.constraints
    ]


def expected_guards(connection) -> list[Guard]:
    guards = [g for p in expected_protections(connection) for g in p.guards(connection.vendor)]
    return guards + model_constraints(connection)


def live_guards(connection) -> dict[Guard, bool]:
    """Every trigger and constraint on the database, each with whether it is enabled."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
            found = {Guard("trigger", table, name): True for table, name in cursor.fetchall()}
            for table in connection.introspection.table_names(cursor):
                for name in connection.introspection.get_constraints(cursor, table):
                    found[Guard("constraint", table, name)] = True
            return found
        cursor.execute(
            """SELECT c.relname, t.tgname, t.tgenabled IN ('O', 'A')
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace"""
        )
        found = {Guard("trigger", table, name): enabled for table, name, enabled in cursor.fetchall()}
        cursor.execute(
            """SELECT c.relname, con.conname FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
            WHERE c.relnamespace = current_schema()::regnamespace"""
        )
        found.update({Guard("constraint", table, name): True for table, name in cursor.fetchall()})
        # Django's UniqueConstraint with a condition is a partial unique index, not a constraint.
        cursor.execute("""SELECT tablename, indexname FROM pg_indexes WHERE schemaname = current_schema()""")
        found.update({Guard("constraint", table, name): True for table, name in cursor.fetchall()})
        return found


def problems(connection) -> tuple[list[Guard], list[Guard]]:
    """(missing, disabled): the expected guards the database lacks, and those switched off."""
    live = live_guards(connection)
    expected = expected_guards(connection)
    missing = [g for g in expected if g not in live]
    disabled = [g for g in expected if live.get(g) is False]
    return missing, disabled


def reinstall(connection) -> list[Protection]:
    """Put back every protection whose triggers or constraint are missing or disabled.

    A SQLite migration that rebuilds a table (an AlterField, say) drops the table's triggers with
    it; running this after every migration makes that rebuild harmless.
    """
    live = live_guards(connection)
    broken = [
        p
        for p in expected_protections(connection)
        if any(not live.get(g, False) for g in p.guards(connection.vendor))
    ]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for protection in broken:
            for sql in protection.remove_sql(connection.vendor) + protection.install_sql(connection.vendor):
                cursor.execute(sql)
    return broken
