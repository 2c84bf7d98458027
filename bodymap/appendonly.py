"""Database triggers that make a table append-only.

Records with legal weight (the audit log, consent, signed notes) must survive a bug or a
careless script, so the database itself refuses UPDATE and DELETE on them, not only the ORM.
"""

from django.db import migrations

MESSAGE = "append-only table: {op} refused on {table}"


def _sqlite(table: str) -> tuple[list[str], list[str]]:
    forward = [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE.format(op=op, table=table)}'); END;"""
        for op in ("UPDATE", "DELETE")
    ]
    backward = [f"DROP TRIGGER IF EXISTS {table}_no_{op};" for op in ("update", "delete")]
    return forward, backward


def _postgresql(table: str) -> tuple[list[str], list[str]]:
    # SQLSTATE 23000 (integrity_constraint_violation) so Django raises IntegrityError, as on SQLite.
    forward = [
        """CREATE OR REPLACE FUNCTION bodymap_refuse_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'append-only table: % refused on %', TG_OP, TG_TABLE_NAME
                USING ERRCODE = '23000';
        END $$;""",
        f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION bodymap_refuse_change();""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION bodymap_refuse_change();""",
    ]
    backward = [
        f"DROP TRIGGER IF EXISTS {table}_no_change ON {table};",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
    ]
    return forward, backward


_BUILDERS = {"sqlite": _sqlite, "postgresql": _postgresql}


def _run(schema_editor, table: str, forward: bool):
    vendor = schema_editor.connection.vendor
    if vendor not in _BUILDERS:
        raise RuntimeError(f"Bodymap cannot protect {table} on {vendor}: use SQLite or PostgreSQL.")
    statements = _BUILDERS[vendor](table)[0 if forward else 1]
    for sql in statements:
        schema_editor.execute(sql, params=None)


def AppendOnly(table: str) -> migrations.RunPython:  # noqa: N802 - reads like an operation
    """A migration operation installing the triggers for `table` on SQLite or PostgreSQL."""
    return migrations.RunPython(
        lambda apps, schema_editor: _run(schema_editor, table, True),
        lambda apps, schema_editor: _run(schema_editor, table, False),
    )


def _sqlite_locked(table: str, column: str) -> tuple[list[str], list[str]]:
    forward = [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_locked_{op.lower()} BEFORE {op} ON {table}
        WHEN OLD.{column} IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'signed record is locked: {op} refused on {table}'); END;"""
        for op in ("UPDATE", "DELETE")
    ]
    backward = [f"DROP TRIGGER IF EXISTS {table}_locked_{op};" for op in ("update", "delete")]
    return forward, backward


def _postgresql_locked(table: str, column: str) -> tuple[list[str], list[str]]:
    function = f"bodymap_refuse_change_{table}"
    forward = [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD.{column} IS NOT NULL THEN
                RAISE EXCEPTION 'signed record is locked: % refused on %', TG_OP, TG_TABLE_NAME
                    USING ERRCODE = '23000';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$;""",
        f"""CREATE TRIGGER {table}_locked BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {function}();""",
    ]
    backward = [
        f"DROP TRIGGER IF EXISTS {table}_locked ON {table};",
        f"DROP FUNCTION IF EXISTS {function}();",
    ]
    return forward, backward


_LOCKED_BUILDERS = {"sqlite": _sqlite_locked, "postgresql": _postgresql_locked}


def _run_locked(schema_editor, table: str, column: str, forward: bool):
    vendor = schema_editor.connection.vendor
    if vendor not in _LOCKED_BUILDERS:
        raise RuntimeError(f"Bodymap cannot protect {table} on {vendor}: use SQLite or PostgreSQL.")
    for sql in _LOCKED_BUILDERS[vendor](table, column)[0 if forward else 1]:
        schema_editor.execute(sql, params=None)


def LockedOnceSet(table: str, column: str) -> migrations.RunPython:  # noqa: N802 - reads like an operation
    """Rows of `table` may change freely until `column` is set (a note is signed); from then on the
    database refuses UPDATE and DELETE of that row."""
    return migrations.RunPython(
        lambda apps, schema_editor: _run_locked(schema_editor, table, column, True),
        lambda apps, schema_editor: _run_locked(schema_editor, table, column, False),
    )
