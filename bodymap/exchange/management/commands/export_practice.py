"""`bodymap export_practice --practice SLUG --output FILE.zip`"""

import time

from django.core.management.base import BaseCommand, CommandError

from bodymap.accounts.models import Practice
from bodymap.exchange.exporting import export_practice


class Command(BaseCommand):
    help = (
        "Export everything a practice holds: CSV per record type, a FHIR R4 Bundle and note PDFs, in one zip."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practice", required=True, help="the practice's slug")
        parser.add_argument("--output", required=True, help="the zip file to write")
        parser.add_argument("--no-pdfs", action="store_true", help="leave out the signed notes as PDF")

    def handle(self, *args, **options):
        practice = Practice.objects.filter(slug=options["practice"]).first()
        if practice is None:
            raise CommandError(f"No practice with the slug {options['practice']!r}.")
        started = time.perf_counter()
        try:
            with open(options["output"], "xb") as out:
                counts = export_practice(
                    practice,
                    out,
                    actor=None,
                    actor_label="bodymap export_practice",
                    with_pdfs=not options["no_pdfs"],
                )
        except FileExistsError as error:
            raise CommandError(f"{options['output']} exists already; choose a new name.") from error
        summary = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items())
        self.stdout.write(f"Wrote {options['output']}: {summary} in {time.perf_counter() - started:.1f} s.")
