"""Two PostgreSQL roles: one owns the schema and runs migrations, the other runs the app.

Only a table's owner (or a superuser) can ALTER it, disable or drop its triggers; TRUNCATE is a
privilege of its own. The runtime role owns nothing and is granted SELECT, INSERT, UPDATE and
DELETE alone, so the triggers that make records append-only bind the app itself.
"""

import re

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

SQLITE_NOTE = """SQLite has no roles: whoever can write the database file can drop its triggers.
On SQLite the triggers guard against a bug in the app, a careless script and a migration that
rebuilds a table (Bodymap reinstalls them after every migration); they cannot guard against a
person with access to the file. Keep the file readable and writable by the app's user alone, or
use PostgreSQL with the two roles this command creates there."""


def check_identifier(name: str) -> str:
    if not IDENTIFIER.match(name):
        raise ValueError(f"{name!r} is not a plain PostgreSQL name (lower-case letters, digits, _).")
    return name


def _ensure_role(name: str, attributes: str) -> str:
    return f"""DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN CREATE ROLE {name}; END IF;
END $$;
ALTER ROLE {name} {attributes};"""


def role_sql(database: str, owner: str, runtime: str, schema: str = "public") -> list[str]:
    """The statements, for a superuser to run once per database (and again at no harm)."""
    database, owner, runtime, schema = map(check_identifier, (database, owner, runtime, schema))
    limited = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
    return [
        "-- The owner: owns the schema and every table, runs `bodymap migrate`.",
        _ensure_role(owner, limited),
        "-- The runtime role: runs the app and the worker; owns nothing, cannot TRUNCATE or ALTER.",
        _ensure_role(runtime, f"{limited} NOINHERIT"),
        f"""DO $$ BEGIN
    IF pg_has_role('{runtime}', '{owner}', 'MEMBER') THEN REVOKE {owner} FROM {runtime}; END IF;
END $$;""",
        # btree_gist backs the no-double-booking constraint; creating it may need a superuser.
        "CREATE EXTENSION IF NOT EXISTS btree_gist;",
        # pg_trgm backs the client search indexes.
        "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {owner};",
        f"GRANT CONNECT ON DATABASE {database} TO {runtime};",
        f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC;",
        f"GRANT USAGE, CREATE ON SCHEMA {schema} TO {owner};",
        f"REVOKE CREATE ON SCHEMA {schema} FROM {runtime};",
        f"GRANT USAGE ON SCHEMA {schema} TO {runtime};",
        "-- Tables made before the split (by another role) pass to the owner, with their sequences.",
        f"""DO $$ DECLARE item record; BEGIN
    FOR item IN
        SELECT c.oid::regclass AS name FROM pg_class c
        WHERE c.relnamespace = '{schema}'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
          AND c.relowner <> '{owner}'::regrole
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
    LOOP EXECUTE format('ALTER TABLE %s OWNER TO {owner}', item.name); END LOOP;
    FOR item IN
        SELECT p.oid::regprocedure AS name FROM pg_proc p
        WHERE p.pronamespace = '{schema}'::regnamespace AND p.proname LIKE 'bodymap\\_%'
          AND p.proowner <> '{owner}'::regrole
    LOOP EXECUTE format('ALTER FUNCTION %s OWNER TO {owner}', item.name); END LOOP;
END $$;""",  # noqa: S608 - names checked by check_identifier
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {runtime};",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {runtime};",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {runtime};",
        "-- Tables and sequences that future migrations create get the same grants.",
        f"""ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema}
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {runtime};""",
        f"""ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema}
    GRANT USAGE, SELECT ON SEQUENCES TO {runtime};""",
    ]
