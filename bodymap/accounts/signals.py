from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.dispatch import receiver

from bodymap.access import membership_for
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction


def _practice_of(user):
    membership = membership_for(user)
    if membership is not None:
        return membership.practice
    client = user.client_records.select_related("practice").order_by("created_at", "id").first()
    return client.practice if client else None


@receiver(user_logged_in)
def audit_sign_in(sender, request, user, **kwargs):
    with transaction.atomic():
        record(
            actor=user,
            practice=_practice_of(user),
            action=AuditAction.SIGN_IN,
            subject_type="user",
            subject_public_id=user.public_id,
            request=request,
        )


@receiver(user_logged_out)
def audit_sign_out(sender, request, user, **kwargs):
    if user is None:
        return
    with transaction.atomic():
        record(
            actor=user,
            practice=_practice_of(user),
            action=AuditAction.SIGN_OUT,
            subject_type="user",
            subject_public_id=user.public_id,
            request=request,
        )
