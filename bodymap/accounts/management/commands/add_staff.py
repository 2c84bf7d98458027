from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bodymap.accounts.management.passwords import ask_password
from bodymap.accounts.models import Membership, Practice, Role, User


class Command(BaseCommand):
    help = "Add a therapist, front desk member or co-owner to a practice."

    def add_arguments(self, parser):
        parser.add_argument("--practice", required=True, help="The practice's slug.")
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--treats", action="store_true", help="An owner who also treats clients.")

    def handle(self, *args, **opts):
        practice = Practice.objects.filter(slug=opts["practice"]).first()
        if practice is None:
            raise CommandError(f"No practice with the slug {opts['practice']!r}.")
        email = opts["email"].strip().lower()
        role = opts["role"]
        treats = role == Role.THERAPIST or (role == Role.OWNER and opts["treats"])
        with transaction.atomic():
            user = User.objects.filter(email=email).first()
            if user is None:
                password = ask_password(self, email, opts["name"])
                user = User.objects.create_user(email=email, password=password, full_name=opts["name"])
            if Membership.objects.filter(practice=practice, user=user).exists():
                raise CommandError(f"{email} is already on the staff of {practice.name}.")
            Membership.objects.create(practice=practice, user=user, role=role, provides_treatment=treats)
        self.stdout.write(self.style.SUCCESS(f"{email} joined {practice.name} as {Role(role).label}."))
