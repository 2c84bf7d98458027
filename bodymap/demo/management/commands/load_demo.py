from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bodymap.demo import practice


class Command(BaseCommand):
    help = "Load the demo practice 'Breathe Deeply Massage' into an empty database."

    def handle(self, *args, **options):
        if not settings.DEVELOPMENT:
            raise CommandError(
                "The demo practice has published passwords: load it only with BODYMAP_ENV=development."
            )
        created = practice.load()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Loaded the demo practice: {created.name}."))
        else:
            self.stdout.write("The database already holds a practice; nothing was loaded.")
        self.stdout.write("\nDemo logins (staff sign in at http://127.0.0.1:8000/accounts/login/):")
        for email, password, role in practice.logins():
            self.stdout.write(f"  {role:<11} {email:<30} {password}")
        self.stdout.write(
            "  client      sam.rivera@example.com         sign-in link: http://127.0.0.1:8000/portal/sign-in/\n"
            "              (the link is printed in this terminal, by the console email backend)\n"
            "  The owner signs in with two-factor sign-in, as every owner must: on the first sign-in,\n"
            "  scan the code shown with an authenticator app (or type the key under it) and keep the\n"
            "  recovery codes. The therapist and front desk sign in with the password alone."
        )
