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
    """Save staff's edits. A new email address is not written: the new address is asked to confirm
    it and the old one is told (clients.identity), so nobody can move a client's portal to an
    address of their own. Removing the address takes effect at once and ends any portal binding."""
    from bodymap.clients.identity import request_email_change

    # Field names only: the audit log must not become a second copy of the record.
    changed = sorted(form.changed_data)
    old_email = form.initial.get("email") or ""
    new_email = form.cleaned_data.get("email") or ""
    client = form.instance
    client.pending_email = None
    if "email" in changed and new_email:
        changed.remove("email")
        client.email = old_email
        request_email_change(client=client, new_email=new_email, actor=membership.user, request=request)
        client.pending_email = new_email
    elif "email" in changed:
        client.user = None
        changed.append("user")
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
