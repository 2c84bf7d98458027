"""Writing audit entries. Call these inside the transaction of the action they describe."""

import ipaddress

from django.conf import settings
from django.db import transaction
from ipware import get_client_ip

from bodymap.audit.models import AuditAction, AuditEntry


def client_ip(request) -> str | None:
    """The address of whoever sent `request`. Behind our own reverse proxies (BEHIND_PROXY), each
    proxy appends the address it was reached from to X-Forwarded-For, so the client is the entry
    BODYMAP_PROXY_COUNT places from the right; everything left of it is whatever the client sent
    and is never trusted. Without a proxy, the socket address is the client."""
    if request is None:
        return None
    known = getattr(request, "bodymap_client_ip", False)
    if known is not False:
        return known
    if settings.BODYMAP_BEHIND_PROXY:
        ip, _routable = get_client_ip(
            request,
            proxy_order="left-most",
            # ipware counts the proxies listed in the header; the last proxy is REMOTE_ADDR.
            proxy_count=settings.BODYMAP_PROXY_COUNT - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        ip = _valid_ip(ip or "")
    else:
        ip = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    try:
        request.bodymap_client_ip = ip
    except AttributeError:  # a read-only stand-in for a request
        pass
    return ip


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _entry(actor, action, subject_type, subject_public_id, practice, request, actor_label, details):
    label = actor_label or "anonymous"
    if actor is not None and getattr(actor, "is_authenticated", False):
        label = actor.email
    else:
        actor = None
    return AuditEntry(
        practice=practice,
        actor=actor,
        actor_label=label,
        action=action,
        subject_type=subject_type,
        subject_public_id=subject_public_id,
        ip_address=client_ip(request),
        details=details,
    )


def _require_transaction():
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit entries must be written inside the action's transaction.")


def record(
    *,
    actor,
    action,
    subject_type,
    subject_public_id=None,
    practice=None,
    request=None,
    actor_label=None,
    **details,
):
    """Append one audit entry. Must run inside the caller's transaction so that the entry and the
    action commit or fail together."""
    _require_transaction()
    entry = _entry(actor, action, subject_type, subject_public_id, practice, request, actor_label, details)
    entry.save(force_insert=True)
    return entry


def record_many(*, actor, practice, request, entries, actor_label=None):
    """Append several entries in one statement, for a page that reads several records at once.
    `entries` holds (action, subject_type, subject_public_id, details) tuples."""
    _require_transaction()
    AuditEntry.objects.bulk_create(
        _entry(actor, action, subject_type, subject_id, practice, request, actor_label, details)
        for action, subject_type, subject_id, details in entries
    )


def record_read(
    request, *, practice, subject_type, subject_public_id=None, action=AuditAction.VIEW, **details
):
    """Audit a read by the signed-in user. A read changes nothing else, so its entry gets a
    transaction of its own."""
    with transaction.atomic():
        return record(
            actor=request.user,
            practice=practice,
            action=action,
            subject_type=subject_type,
            subject_public_id=subject_public_id,
            request=request,
            **details,
        )
