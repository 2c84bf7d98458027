"""Staff membership: the owner invites therapists and front desk, and can end their access."""

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from bodymap.accounts.models import Membership, Role, User
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.booking.models import CalendarFeed


class AlreadyStaff(Exception):
    pass


class AccountExists(Exception):
    """The address already signs in to Bodymap (staff elsewhere, or a client's portal)."""


def set_password_url(request, user) -> str:
    """A link to choose a password, valid until used or PASSWORD_RESET_TIMEOUT passes."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return request.build_absolute_uri(path)


@transaction.atomic
def invite_staff(*, practice, email, full_name, role, treats, request) -> Membership:
    """Add someone to the practice's staff and email them a link to choose their password.

    Only a new account is made this way. An address that already signs in belongs to someone whose
    portal, password and other practices this owner has no say over, so it is refused."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and Membership.objects.filter(practice=practice, user=user).exists():
        raise AlreadyStaff(email)
    if user is not None:
        raise AccountExists(email)
    user = User.objects.create_user(email=email, full_name=full_name)
    membership = Membership.objects.create(
        practice=practice,
        user=user,
        role=role,
        # Front desk never treats; a therapist always does; an owner may.
        provides_treatment=role == Role.THERAPIST or (role == Role.OWNER and treats),
    )
    record(
        actor=request.user,
        practice=practice,
        action=AuditAction.CREATE,
        subject_type="membership",
        subject_public_id=membership.public_id,
        request=request,
        role=role,
    )
    _send_invitation(practice, user, request)
    return membership


def _send_invitation(practice, user, request) -> None:
    context = {
        "practice": practice,
        "user": user,
        "url": set_password_url(request, user),
        "inviter": request.user.full_name or request.user.email,
    }
    subject = render_to_string("accounts/email/invite_subject.txt", context).strip()
    body = render_to_string("accounts/email/invite_body.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))


class AlreadyAccepted(Exception):
    """The invitation was taken up: they chose a password, and sign in as anyone else does."""


def is_invited(membership) -> bool:
    """Invited and not yet accepted: no password chosen from the invitation's link."""
    return not membership.user.has_usable_password()


@transaction.atomic
def resend_invitation(*, membership, request) -> None:
    """Email a new invitation link; the one sent before stops working."""
    user = User.objects.select_for_update().get(pk=membership.user_id)
    if user.has_usable_password():
        raise AlreadyAccepted(user.email)
    # The link's token is made from the password field: a fresh unusable one voids every older link.
    user.set_unusable_password()
    user.save(update_fields=["password"])
    record(
        actor=request.user,
        practice=membership.practice,
        action=AuditAction.CHANGE,
        subject_type="membership",
        subject_public_id=membership.public_id,
        request=request,
        invitation="resent",
    )
    _send_invitation(membership.practice, user, request)


@transaction.atomic
def set_active(*, membership, active: bool, request) -> None:
    """End or restore someone's access. Their records and audit history stay."""
    Membership.objects.filter(pk=membership.pk).update(is_active=active)
    if not active:
        # A feed address handed out before must not start working again if their access comes back.
        CalendarFeed.objects.filter(therapist=membership, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    record(
        actor=request.user,
        practice=membership.practice,
        action=AuditAction.CHANGE,
        subject_type="membership",
        subject_public_id=membership.public_id,
        request=request,
        fields=["is_active"],
        active=active,
    )
