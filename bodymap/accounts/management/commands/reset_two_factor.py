from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bodymap.accounts.models import Membership, User
from bodymap.accounts.two_factor import forget_devices
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction


class Command(BaseCommand):
    help = (
        "Remove a member of staff's authenticator app and recovery codes, for an owner who lost both; "
        "they set up two-factor sign-in again when they next sign in with their password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)

    def handle(self, *args, **opts):
        user = User.objects.filter(email__iexact=opts["email"].strip()).first()
        if user is None or not Membership.objects.filter(user=user).exists():
            raise CommandError(f"No member of staff signs in as {opts['email']!r}.")
        with transaction.atomic():
            forget_devices(user)
            for membership in Membership.objects.filter(user=user).select_related("practice"):
                record(
                    actor=None,
                    actor_label="command line",
                    practice=membership.practice,
                    action=AuditAction.CHANGE,
                    subject_type="two_factor",
                    subject_public_id=user.public_id,
                    event="reset from the command line",
                )
        self.stdout.write(
            f"Two-factor sign-in reset for {user.email}: they set it up again at the next sign-in."
        )
