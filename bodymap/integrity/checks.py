"""`bodymap check`: the live database carries every guard it should, and the app cannot remove them.

These checks read the database, so they run from `bodymap check` (which includes every configured
database), never from `migrate`: a missing trigger must not stop the migration that puts it back.
"""

from django.core import checks
from django.db import DatabaseError, connections

from bodymap.integrity.live import expected_protections, problems

HINT = "Run `bodymap migrate` as the owner role: it reinstalls every missing or disabled guard."


def database_guards(app_configs=None, databases=None, **kwargs):
    messages = []
    for alias in databases or []:
        connection = connections[alias]
        try:
            missing, disabled = problems(connection)
        except DatabaseError as error:
            messages.append(
                checks.Error(f"Cannot read the database {alias!r}: {error}".strip(), id="bodymap.E100")
            )
            continue
        messages += [
            checks.Error(f"The {g.kind} {g.name} on {g.table} is missing.", hint=HINT, id="bodymap.E101")
            for g in missing
        ]
        messages += [
            checks.Error(f"The {g.kind} {g.name} on {g.table} is disabled.", hint=HINT, id="bodymap.E102")
            for g in disabled
        ]
        if committed_purge_permits(connection):
            # A retention purge never commits its permit; one that is committed leaves the
            # append-only tables open to DELETE for everyone.
            messages.append(
                checks.Error(
                    "A retention purge permit is committed: the append-only tables accept DELETE.",
                    hint="Delete the rows of exchange_purgepermit as the owner role and find who wrote them.",
                    id="bodymap.E103",
                )
            )
    return messages


def committed_purge_permits(connection) -> int:
    from bodymap.exchange.guards import PERMIT_TABLE

    if PERMIT_TABLE not in connection.introspection.table_names():
        return 0  # not migrated that far yet
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {PERMIT_TABLE}")  # noqa: S608 - a constant name
        return cursor.fetchone()[0]


ROLE_HINT = (
    "Connect the app as the runtime role, which owns nothing and cannot TRUNCATE: "
    "see `bodymap db_roles` and docs/deployment.md."
)


def database_role(app_configs=None, databases=None, **kwargs):
    """Warn when the app's own role could switch the guards off: a superuser, or the tables' owner."""
    messages = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        try:
            messages += _role_warnings(connection)
        except DatabaseError:
            continue  # database_guards reports the connection failure
    return messages


def _role_warnings(connection):
    tables = sorted({p.table for p in expected_protections(connection)})
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        role, superuser = cursor.fetchone()
        if superuser:
            return [
                checks.Warning(
                    f"Bodymap connects to PostgreSQL as {role}, a superuser: it can disable or drop the "
                    "triggers that make records append-only.",
                    hint=ROLE_HINT,
                    id="bodymap.W101",
                )
            ]
        cursor.execute(
            """SELECT c.relname FROM pg_class c
            WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
              AND pg_has_role(current_user, c.relowner, 'USAGE')
            ORDER BY c.relname LIMIT 1"""
        )
        owned = cursor.fetchone()
        cursor.execute(
            """SELECT t FROM unnest(%s::text[]) AS t
            WHERE has_table_privilege(current_user, t, 'TRUNCATE')
               OR has_table_privilege(current_user, t, 'TRIGGER')""",
            [tables],
        )
        truncating = [row[0] for row in cursor.fetchall()]
    messages = []
    if owned:
        messages.append(
            checks.Warning(
                f"Bodymap connects to PostgreSQL as {role}, which owns its tables ({owned[0]} and others): "
                "it can ALTER them and disable or drop their triggers.",
                hint=ROLE_HINT,
                id="bodymap.W102",
            )
        )
    if truncating:
        messages.append(
            checks.Warning(
                f"Bodymap's role {role} may TRUNCATE or add triggers to {', '.join(truncating)}.",
                hint=ROLE_HINT,
                id="bodymap.W103",
            )
        )
    return messages
