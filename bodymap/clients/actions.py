"""Writes of client records. Each runs in a transaction with its audit entry."""

from django.db import transaction

from bodymap.access import keeps_clients_they_add
from bodymap.accounts.models import Membership
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.clients.models import Client


@transaction.atomic
def create_client(*, membership: Membership, form, request=None) -> Client:
    client = form.save(commit=False)
    client.practice = membership.practice
    if keeps_clients_they_add(membership):
        client.assigned_therapist = membership
    client.save()
    record(
        actor=membership.user,
        practice=membership.practice,
        action=AuditAction.CREATE,
        subject_type="client",
        subject_public_id=client.public_id,
        request=request,
        fields=sorted(k for k, v in form.cleaned_data.items() if v not in ("", None)),
    )
    return client


@transaction.atomic
def update_client(*, membership: Membership, form, request=None) -> Client:
    # Field names only: the audit log must not become a second copy of the record.
    changed = sorted(form.changed_data)
    client = form.save()
    record(
        actor=membership.user,
        practice=membership.practice,
        action=AuditAction.CHANGE,
        subject_type="client",
        subject_public_id=client.public_id,
        request=request,
        fields=changed,
    )
    return client
