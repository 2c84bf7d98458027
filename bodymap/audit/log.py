"""Writing audit entries. Call these inside the transaction of the action they describe."""

import ipaddress

from django.conf import settings
from django.db import transaction

from bodymap.audit.models import AuditEntry


def client_ip(request) -> str | None:
    if request is None:
        return None
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        # Behind our own reverse proxy the left-most forwarded address is the client's.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return _valid_ip(forwarded.split(",")[0].strip())
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def record(
    *, actor, action, subject_type, subject_public_id=None, practice=None, request=None, **details
):
    """Append one audit entry. Must run inside the caller's transaction so that the entry and the
    action commit or fail together."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit entries must be written inside the action's transaction.")
    label = "anonymous"
    if actor is not None and getattr(actor, "is_authenticated", False):
        label = actor.email
    else:
        actor = None
    return AuditEntry.objects.create(
        practice=practice,
        actor=actor,
        actor_label=label,
        action=action,
        subject_type=subject_type,
        subject_public_id=subject_public_id,
        ip_address=client_ip(request),
        details=details,
    )
