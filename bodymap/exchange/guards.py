# Table and column names below are constants of this module, never input.
# ruff: noqa: S608
"""The one path through the append-only guards: destroying records past their retention period.

Consent, signed notes, ratings, safety alerts and issued money records refuse UPDATE and DELETE in
the database (bodymap.integrity). Retention law then requires them destroyed. These operations
replace those tables' DELETE guards with ones that let a DELETE through only while the deleting
transaction holds a row in `exchange_purgepermit`. Only `bodymap.exchange.retention.purge` writes
that row, and it deletes it again before its transaction commits, so no other transaction ever
sees it (an uncommitted row is invisible to every other connection, on SQLite and PostgreSQL).
UPDATE stays refused for everyone, and so does TRUNCATE on PostgreSQL. The audit log is never
purgeable: it records what was destroyed and by whom.
"""

from bodymap.integrity.operations import AppendOnly, Guard, LockedOnceSet, Protection

PERMIT_TABLE = "exchange_purgepermit"
_UNLESS_PURGING = f"NOT EXISTS (SELECT 1 FROM {PERMIT_TABLE})"

_PG_FUNCTION = f"""CREATE OR REPLACE FUNCTION bodymap_refuse_change_unless_purging() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM {PERMIT_TABLE}) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'append-only table: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = '23000';
END $$;"""


class PurgeableAppendOnly(Protection):
    """AppendOnly(table), except a DELETE inside a retention purge."""

    def __init__(self, table: str):
        self.table = table
        self._plain = AppendOnly(table)

    def describe(self):
        return f"Let a retention purge delete from {self.table}"

    @property
    def migration_name_fragment(self):
        return f"purgeable_{self.table}"

    def guards(self, vendor):
        return self._plain.guards(vendor)  # the same names: `bodymap check` needs no change

    def install_sql(self, vendor):
        t = self.table
        if vendor == "sqlite":
            return [
                f"""CREATE TRIGGER IF NOT EXISTS {t}_no_update BEFORE UPDATE ON {t}
                BEGIN SELECT RAISE(ABORT, 'append-only table: UPDATE refused on {t}'); END;""",
                f"DROP TRIGGER IF EXISTS {t}_no_delete;",
                f"""CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t} WHEN {_UNLESS_PURGING}
                BEGIN SELECT RAISE(ABORT, 'append-only table: DELETE refused on {t}'); END;""",
            ]
        return [
            _PG_FUNCTION,
            f"""CREATE OR REPLACE TRIGGER {t}_no_change BEFORE UPDATE OR DELETE ON {t}
            FOR EACH ROW EXECUTE FUNCTION bodymap_refuse_change_unless_purging();""",
            *self._plain.install_sql(vendor)[2:],  # the TRUNCATE guard, unchanged
        ]

    def remove_sql(self, vendor):
        return self._plain.remove_sql(vendor)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_backwards(app_label, schema_editor, from_state, to_state)
        self._plain.database_forwards(app_label, schema_editor, from_state, to_state)


class PurgeableLock(Protection):
    """LockedOnceSet(table, column), except a DELETE inside a retention purge."""

    def __init__(self, table: str, column: str):
        self.table = table
        self.column = column
        self._plain = LockedOnceSet(table, column)

    def describe(self):
        return f"Let a retention purge delete signed rows of {self.table}"

    @property
    def migration_name_fragment(self):
        return f"purgeable_{self.table}"

    def guards(self, vendor) -> list[Guard]:
        return self._plain.guards(vendor)

    def install_sql(self, vendor):
        t, c = self.table, self.column
        if vendor == "sqlite":
            return [
                f"""CREATE TRIGGER IF NOT EXISTS {t}_locked_update BEFORE UPDATE ON {t}
                WHEN OLD.{c} IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'signed record is locked: UPDATE refused on {t}'); END;""",
                f"DROP TRIGGER IF EXISTS {t}_locked_delete;",
                f"""CREATE TRIGGER {t}_locked_delete BEFORE DELETE ON {t}
                WHEN OLD.{c} IS NOT NULL AND {_UNLESS_PURGING}
                BEGIN SELECT RAISE(ABORT, 'signed record is locked: DELETE refused on {t}'); END;""",
            ]
        plain = self._plain.install_sql(vendor)
        function = f"""CREATE OR REPLACE FUNCTION bodymap_refuse_change_{t}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM {PERMIT_TABLE}) THEN RETURN OLD; END IF;
                IF OLD.{c} IS NOT NULL THEN
                    RAISE EXCEPTION 'signed record is locked: % refused on %', TG_OP, TG_TABLE_NAME
                        USING ERRCODE = '23000';
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END $$;"""
        return [function, *plain[1:]]

    def remove_sql(self, vendor):
        return self._plain.remove_sql(vendor)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_backwards(app_label, schema_editor, from_state, to_state)
        self._plain.database_forwards(app_label, schema_editor, from_state, to_state)


PURGEABLE_TABLES = [
    "consent_consentrecord",
    "notes_addendum",
    "notes_painrating",
    "notes_functionalrating",
    "safety_safetyalert",
    "safety_safetyreview",
    "billing_invoice",
    "billing_invoiceline",
    "billing_payment",
    "billing_creditnote",
    "billing_invoicevoid",
    "billing_receipt",
]
