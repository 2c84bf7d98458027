"""`bodymap restore FILE`: restore a backup into an empty database, then prove it whole."""

from django.core.management.base import BaseCommand, CommandError

from bodymap.audit.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore FILE (written by `bodymap backup`) into the configured database, which must be "
        "empty, then check row counts against the manifest, every trigger and constraint, and the "
        "audit chain. Exits non-zero if anything does not match."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database", default="default")

    def handle(self, *args, file, database, **options):
        try:
            report = restore(file, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not report.ok:
            raise CommandError(
                "The restored database does not match the backup:\n" + "\n".join(report.problems)
            )
        self.stdout.write(
            f"Restored and verified: row counts match the manifest, every guard is in place, "
            f"and the audit chain of {report.audit_entries} entries is intact."
        )
