"""Client portal sign-in by one-time email link."""

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from bodymap.accounts.models import Membership, PortalLink
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.clients.models import Client

User = get_user_model()


@transaction.atomic
def send_portal_link(*, email: str, request) -> bool:
    """Email a sign-in link if `email` belongs to a client. Says nothing either way to the caller's
    visitor, so the form cannot be used to find out who is a client."""
    clients = list(Client.objects.filter(email__iexact=email, is_active=True).select_related("practice"))
    if not clients:
        return False
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and Membership.objects.filter(user=user, is_active=True).exists():
        # Staff sign in with their password; a portal link must not open a staff session.
        return False
    if user is None:
        user = User.objects.create_user(email=email, full_name=clients[0].full_name)
    token = PortalLink.objects.issue(user, settings.BODYMAP_PORTAL_LINK_MINUTES)
    url = request.build_absolute_uri(reverse("portal:link", args=[token]))
    context = {
        "client": clients[0],
        "practice": clients[0].practice,
        "url": url,
        "minutes": settings.BODYMAP_PORTAL_LINK_MINUTES,
    }
    subject = render_to_string("portal/email/link_subject.txt", context).strip()
    body = render_to_string("portal/email/link_body.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))
    for client in clients:
        record(
            actor=None,
            practice=client.practice,
            action=AuditAction.LINK_SENT,
            subject_type="client",
            subject_public_id=client.public_id,
            request=request,
        )
    return True


@transaction.atomic
def sign_in_with_link(*, token: str, request):
    """Use a link once: sign the client in and connect their client records to the account."""
    link = PortalLink.objects.usable(token).select_for_update().select_related("user").first()
    if link is None:
        return None
    # Claim the link atomically, so two clicks in a race cannot both succeed.
    claimed = PortalLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=timezone.now())
    if not claimed:
        return None
    user = link.user
    Client.objects.filter(email__iexact=user.email, user__isnull=True).update(user=user)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return user
