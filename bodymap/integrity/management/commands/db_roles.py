"""Print (or apply) the SQL that splits the database between an owner role and a runtime role."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections, transaction

from bodymap.integrity.roles import SQLITE_NOTE, role_sql


class Command(BaseCommand):
    help = (
        "Print the SQL that creates an owner role (runs `migrate`) and a runtime role (runs the app, "
        "owns nothing, cannot TRUNCATE, ALTER or touch triggers). Run it as a PostgreSQL superuser, "
        "e.g. `bodymap db_roles | psql -d bodymap`, or pass --apply when connected as one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--owner", default="bodymap_owner", help="The owner role.")
        parser.add_argument("--runtime", default="bodymap_app", help="The runtime role.")
        parser.add_argument("--dbname", help="The database to grant on (default: the configured one).")
        parser.add_argument("--database", default="default", help="The connection alias to use.")
        parser.add_argument("--apply", action="store_true", help="Run the SQL through the connection.")

    def handle(self, *args, owner, runtime, dbname, database, apply, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            if apply:
                raise CommandError("Roles exist on PostgreSQL only.\n" + SQLITE_NOTE)
            self.stdout.write(SQLITE_NOTE)
            return
        try:
            statements = role_sql(dbname or connection.settings_dict["NAME"], owner, runtime)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if not apply:
            self.stdout.write("\n".join(statements))
            self.stdout.write(f"-- Then, in psql: \\password {owner} and \\password {runtime}")
            return
        try:
            with transaction.atomic(using=database), connection.cursor() as cursor:
                for sql in statements:
                    if not sql.startswith("--"):
                        cursor.execute(sql)
        except DatabaseError as error:
            raise CommandError(f"Could not create the roles (connect as a superuser): {error}") from None
        self.stdout.write(
            f"{owner} owns the tables and runs `bodymap migrate`; {runtime} runs the app. "
            f"Set their passwords in psql: \\password {owner} and \\password {runtime}."
        )
