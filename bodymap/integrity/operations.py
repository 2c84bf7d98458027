"""What the database itself promises, as named migration operations.

Each operation knows the SQL that installs and removes its triggers or constraint on SQLite and
PostgreSQL, and the names it leaves on the database, so the same definition serves the migration,
the reinstall after a SQLite table rebuild, and `bodymap check`. Being classes, not lambdas, they
survive `squashmigrations`.
"""

from dataclasses import dataclass

from django.db.migrations.operations.base import Operation

VENDORS = ("sqlite", "postgresql")

# SQLSTATE 23000 (integrity_constraint_violation) so Django raises IntegrityError, as on SQLite.
_REFUSE_FUNCTION = """CREATE OR REPLACE FUNCTION bodymap_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'append-only table: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = '23000';
END $$;"""


@dataclass(frozen=True)
class Guard:
    """One trigger or constraint, by name, that a table must carry."""

    kind: str  # "trigger" or "constraint"
    table: str
    name: str


class Protection(Operation):
    """Base for operations that install database guards and change no model state."""

    reversible = True
    reduces_to_sql = True

    def install_sql(self, vendor: str) -> list[str]:
        raise NotImplementedError

    def remove_sql(self, vendor: str) -> list[str]:
        raise NotImplementedError

    def guards(self, vendor: str) -> list[Guard]:
        raise NotImplementedError

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for sql in self.install_sql(_vendor(schema_editor.connection)):
            schema_editor.execute(sql, params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for sql in self.remove_sql(_vendor(schema_editor.connection)):
            schema_editor.execute(sql, params=None)


def _vendor(connection) -> str:
    if connection.vendor not in VENDORS:
        raise RuntimeError(f"Bodymap protects its records on SQLite or PostgreSQL, not {connection.vendor}.")
    return connection.vendor


class AppendOnly(Protection):
    """The database refuses UPDATE and DELETE on `table` (and TRUNCATE on PostgreSQL)."""

    def __init__(self, table: str):
        self.table = table

    def describe(self):
        return f"Make {self.table} append-only"

    @property
    def migration_name_fragment(self):
        return f"append_only_{self.table}"

    def guards(self, vendor):
        if vendor == "sqlite":
            return [Guard("trigger", self.table, f"{self.table}_no_{op}") for op in ("update", "delete")]
        return [Guard("trigger", self.table, f"{self.table}_no_{op}") for op in ("change", "truncate")]

    def install_sql(self, vendor):
        t = self.table
        if vendor == "sqlite":
            return [
                f"""CREATE TRIGGER IF NOT EXISTS {t}_no_{op.lower()} BEFORE {op} ON {t}
                BEGIN SELECT RAISE(ABORT, 'append-only table: {op} refused on {t}'); END;"""
                for op in ("UPDATE", "DELETE")
            ]
        return [
            _REFUSE_FUNCTION,
            f"""CREATE OR REPLACE TRIGGER {t}_no_change BEFORE UPDATE OR DELETE ON {t}
            FOR EACH ROW EXECUTE FUNCTION bodymap_refuse_change();""",
            _truncate_guard(t),
        ]

    def remove_sql(self, vendor):
        return [f"DROP TRIGGER IF EXISTS {g.name}{_on(vendor, g.table)};" for g in self.guards(vendor)]


class LockedOnceSet(Protection):
    """Rows of `table` may change until `column` is set (a note is signed); from then on the database
    refuses UPDATE and DELETE of that row, and on PostgreSQL TRUNCATE of the table."""

    def __init__(self, table: str, column: str):
        self.table = table
        self.column = column

    def describe(self):
        return f"Lock rows of {self.table} once {self.column} is set"

    @property
    def migration_name_fragment(self):
        return f"lock_{self.table}"

    @property
    def _function(self):
        return f"bodymap_refuse_change_{self.table}"

    def guards(self, vendor):
        if vendor == "sqlite":
            return [Guard("trigger", self.table, f"{self.table}_locked_{op}") for op in ("update", "delete")]
        return [Guard("trigger", self.table, f"{self.table}_{n}") for n in ("locked", "no_truncate")]

    def install_sql(self, vendor):
        t, c = self.table, self.column
        if vendor == "sqlite":
            return [
                f"""CREATE TRIGGER IF NOT EXISTS {t}_locked_{op.lower()} BEFORE {op} ON {t}
                WHEN OLD.{c} IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'signed record is locked: {op} refused on {t}'); END;"""
                for op in ("UPDATE", "DELETE")
            ]
        return [
            f"""CREATE OR REPLACE FUNCTION {self._function}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.{c} IS NOT NULL THEN
                    RAISE EXCEPTION 'signed record is locked: % refused on %', TG_OP, TG_TABLE_NAME
                        USING ERRCODE = '23000';
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END $$;""",
            f"""CREATE OR REPLACE TRIGGER {t}_locked BEFORE UPDATE OR DELETE ON {t}
            FOR EACH ROW EXECUTE FUNCTION {self._function}();""",
            # A TRUNCATE fires no row trigger, and would empty signed notes with their drafts.
            _REFUSE_FUNCTION,
            _truncate_guard(t),
        ]

    def remove_sql(self, vendor):
        drops = [f"DROP TRIGGER IF EXISTS {g.name}{_on(vendor, g.table)};" for g in self.guards(vendor)]
        if vendor == "postgresql":
            drops.append(f"DROP FUNCTION IF EXISTS {self._function}();")
        return drops


class NoOverlap(Protection):
    """The database refuses two rows of `table` that hold the same therapist's time, unless cancelled.

    PostgreSQL: an exclusion constraint over the therapist and the time range (turnover buffer
    included); btree_gist lets a GiST index compare the therapist id. SQLite: triggers refuse an
    INSERT or UPDATE that would overlap. Writers are serialised there anyway (BEGIN IMMEDIATE), so
    the triggers are the last line, not the only one.
    """

    def __init__(self, table: str, name: str):
        self.table = table
        self.name = name

    def describe(self):
        return f"Refuse overlapping rows in {self.table} ({self.name})"

    @property
    def migration_name_fragment(self):
        return self.name

    def guards(self, vendor):
        if vendor == "sqlite":
            return [Guard("trigger", self.table, f"{self.name}_{op}") for op in ("insert", "update")]
        return [Guard("constraint", self.table, self.name)]

    def install_sql(self, vendor):
        t, n = self.table, self.name
        if vendor == "postgresql":
            return [
                # `bodymap db_roles` creates the extension as a superuser; here it is then a no-op.
                "CREATE EXTENSION IF NOT EXISTS btree_gist",
                f"""ALTER TABLE {t} ADD CONSTRAINT {n} EXCLUDE USING gist (
                    therapist_id WITH =,
                    tstzrange("start", COALESCE("holds_until", "end"), '[)') WITH &&
                ) WHERE (status <> 'cancelled')""",
            ]
        # Django stores SQLite datetimes as ISO text in UTC, so text comparison orders them correctly.
        overlap = f"""SELECT RAISE(ABORT, '{n}') WHERE NEW.status <> 'cancelled' AND EXISTS (
            SELECT 1 FROM {t} AS other
            WHERE other.therapist_id = NEW.therapist_id AND other.status <> 'cancelled'
              AND other.id <> NEW.id
              AND other."start" < COALESCE(NEW.holds_until, NEW."end")
              AND COALESCE(other.holds_until, other."end") > NEW."start")"""  # noqa: S608 - constants only
        return [
            f"CREATE TRIGGER IF NOT EXISTS {n}_insert BEFORE INSERT ON {t} BEGIN {overlap}; END;",
            f"""CREATE TRIGGER IF NOT EXISTS {n}_update
                BEFORE UPDATE OF "start", "end", holds_until, status, therapist_id
                ON {t} BEGIN {overlap}; END;""",
        ]

    def remove_sql(self, vendor):
        if vendor == "postgresql":
            return [f"ALTER TABLE {self.table} DROP CONSTRAINT IF EXISTS {self.name}"]
        return [f"DROP TRIGGER IF EXISTS {g.name};" for g in self.guards(vendor)]


def _truncate_guard(table: str) -> str:
    return f"""CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION bodymap_refuse_change();"""


def _on(vendor: str, table: str) -> str:
    return f" ON {table}" if vendor == "postgresql" else ""
