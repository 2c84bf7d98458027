from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bodymap.demo import practice


class Command(BaseCommand):
    help = "Load the demo practice 'Breathe Deeply Massage' into an empty database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="[host:]port the server listens on, as given to runserver (`make run ADDRESS=...` passes "
            "it); the sign-in addresses printed use it.",
        )

    def handle(self, *args, **options):
        address = options["address"].removeprefix("http://").rstrip("/")
        base = "http://" + (f"127.0.0.1:{address}" if address.isdigit() else address)
        if not settings.DEVELOPMENT:
            raise CommandError(
                "The demo practice has published passwords: load it only with BODYMAP_ENV=development."
            )
        created = practice.load()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Loaded the demo practice: {created.name}."))
        else:
            self.stdout.write("The database already holds a practice; nothing was loaded.")
        self.stdout.write(f"\nDemo logins (staff sign in at {base}/accounts/login/):")
        for email, password, role in practice.logins():
            self.stdout.write(f"  {role:<11} {email:<30} {password}")
        self.stdout.write(
            f"  client      sam.rivera@example.com         sign-in link: {base}/portal/sign-in/\n"
            "              (the link is printed in this terminal, by the console email backend)\n"
            "  The owner signs in with two-factor sign-in, as every owner must: on the first sign-in,\n"
            "  scan the code shown with an authenticator app (or type the key under it) and keep the\n"
            "  recovery codes. The therapist and front desk sign in with the password alone."
        )
