"""`bodymap verify_audit`: recompute the audit log's hash chain and report the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from bodymap.audit import chain


class Command(BaseCommand):
    help = (
        "Recompute every audit entry's hash from the one before it. Exits non-zero and names the "
        "first entry that was changed, removed or inserted behind the app's back."
    )

    def handle(self, *args, **options):
        result = chain.verify()
        if result.broken is not None:
            raise CommandError(
                f"The audit chain is broken at {result.broken.describe()}. "
                f"The {result.count} entries before it are intact."
            )
        self.stdout.write(f"The audit chain is intact: {result.count} entries, head {result.head}.")
