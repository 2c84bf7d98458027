"""Django's `check`, with the live database included by default and Bodymap's database checks."""

from django.core import checks
from django.core.checks.registry import registry
from django.core.management.commands.check import Command as DjangoCheck
from django.db import connections

from bodymap.integrity.checks import database_guards, database_role


class Command(DjangoCheck):
    help = DjangoCheck.help + " Reads every configured database unless --database names some."

    def handle(self, *app_labels, **options):
        # Registered here, not at start-up, so `migrate` never refuses to run the migration that
        # puts a missing guard back.
        registered = registry.registered_checks
        added = [check for check in (database_guards, database_role) if check not in registered]
        for check in added:
            checks.register(check, checks.Tags.database)
        options["databases"] = options.get("databases") or list(connections)
        try:
            return super().handle(*app_labels, **options)
        finally:
            for check in added:
                registered.discard(check)
