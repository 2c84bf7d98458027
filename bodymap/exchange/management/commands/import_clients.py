"""`bodymap import_clients FILE.csv --practice SLUG [--appointments] [--dry-run]`"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bodymap.accounts.models import Practice
from bodymap.exchange import columns, importing
from bodymap.exchange.cells import BadFile, read_rows


class Command(BaseCommand):
    help = "Import clients (or, with --appointments, past appointments) from a CSV file, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--practice", required=True, help="the practice's slug")
        parser.add_argument("--appointments", action="store_true", help="the file holds past appointments")
        parser.add_argument("--dry-run", action="store_true", help="check every row and change nothing")

    def handle(self, *args, **options):
        practice = Practice.objects.filter(slug=options["practice"]).first()
        if practice is None:
            raise CommandError(f"No practice with the slug {options['practice']!r}.")
        path = Path(options["file"])
        try:
            header, rows = read_rows(path.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        except BadFile as error:
            raise CommandError(str(error)) from error
        if options["appointments"]:
            mapping = columns.detect(header, columns.APPOINTMENT_FIELDS)
            plan = importing.plan_appointments(practice, rows, mapping)
        else:
            mapping = columns.detect(header, columns.CLIENT_FIELDS)
            plan = importing.plan_clients(practice, rows, mapping, source=path.name)
        self.stdout.write("Columns: " + ", ".join(f"{f} <- {header[i]!r}" for f, i in mapping.items()))
        for error in plan.errors:
            self.stderr.write(f"line {error.line}, {error.field}: {error.message}")
        self.stdout.write(
            f"{plan.rows} rows: {len(plan.new_clients)} new clients "
            f"({len(plan.possible_duplicates)} possible duplicates), {len(plan.already_here)} already here, "
            f"{len(plan.appointments)} appointments, "
            f"{len(plan.errors)} errors."
        )
        if plan.errors:
            raise CommandError("Nothing was imported: fix the rows above and run the command again.")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was imported.")
            return
        done = importing.apply_plan(
            plan, practice=practice, actor=None, actor_label="bodymap import_clients", source=path.name
        )
        self.stdout.write(
            self.style.SUCCESS(f"Imported {done['clients']} clients and {done['appointments']} appointments.")
        )
