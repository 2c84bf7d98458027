"""`bodymap backup FILE`: a consistent copy of the whole database, with a manifest beside it."""

from django.core.management.base import BaseCommand, CommandError

from bodymap.audit.backup import BackupError, backup, manifest_path


class Command(BaseCommand):
    help = (
        "Back up the database to FILE while the app runs (SQLite: the online backup API; PostgreSQL: "
        "pg_dump, custom format) and write FILE.manifest.json with every table's row count."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database", default="default")

    def handle(self, *args, file, database, **options):
        try:
            manifest = backup(file, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Backed up {len(manifest['tables'])} tables ({rows} rows) to {file}; "
            f"manifest in {manifest_path(file)}. Keep the two files together."
        )
