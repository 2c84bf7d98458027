from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from bodymap.accounts.management.passwords import ask_password
from bodymap.accounts.models import Membership, Practice, Role, User, validate_timezone


class Command(BaseCommand):
    help = "Create a practice and its owner (who signs in with email and password)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The practice's name.")
        parser.add_argument("--timezone", required=True, help="IANA time zone, e.g. America/Toronto.")
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--owner-name", required=True)
        parser.add_argument("--owner-treats", action="store_true", help="The owner also treats clients.")

    def handle(self, *args, **opts):
        try:
            validate_timezone(opts["timezone"])
        except ValidationError:
            message = f"Unknown time zone {opts['timezone']!r}; use one like Europe/London."
            raise CommandError(message) from None
        email = opts["owner_email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise CommandError(f"{email} already has an account.")
        slug = slugify(opts["name"])[:50] or "practice"
        if Practice.objects.filter(slug=slug).exists():
            raise CommandError(f"A practice called {opts['name']!r} already exists.")
        password = ask_password(self, email, opts["owner_name"])
        with transaction.atomic():
            practice = Practice.objects.create(name=opts["name"], slug=slug, timezone=opts["timezone"])
            user = User.objects.create_user(email=email, password=password, full_name=opts["owner_name"])
            Membership.objects.create(
                practice=practice, user=user, role=Role.OWNER, provides_treatment=opts["owner_treats"]
            )
        self.stdout.write(self.style.SUCCESS(f"Created {practice.name}; {email} can sign in as its owner."))
