"""`bodymap import_practice EXPORT.zip --practice SLUG`"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bodymap.accounts.models import Practice
from bodymap.exchange.cells import BadFile
from bodymap.exchange.restoring import restore_export


class Command(BaseCommand):
    help = "Bring a Bodymap export into a practice that has no clients yet."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--practice", required=True, help="the practice's slug")

    def handle(self, *args, **options):
        practice = Practice.objects.filter(slug=options["practice"]).first()
        if practice is None:
            raise CommandError(f"No practice with the slug {options['practice']!r}.")
        try:
            counts = restore_export(
                practice,
                Path(options["file"]).read_bytes(),
                actor=None,
                actor_label="bodymap import_practice",
            )
        except BadFile as error:
            raise CommandError(str(error)) from error
        self.stdout.write(", ".join(f"{v} {k}" for k, v in counts.items()) + " imported.")
