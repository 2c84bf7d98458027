"""Writing audit entries. Call these inside the transaction of the action they describe."""

import ipaddress
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from ipware import get_client_ip

from bodymap.audit import chain
from bodymap.audit.models import AuditAction, AuditEntry

# Autosaves fire every few seconds while someone types: one entry per record per this many minutes.
COALESCE_MINUTES = 5


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


def _client_of(subject_type, subject_public_id, details):
    """The client an entry concerns: the subject itself, or the `client` its details name."""
    if subject_type == "client":
        return subject_public_id
    named = details.get("client")
    try:
        return uuid.UUID(str(named)) if named else None
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
        client_public_id=_client_of(subject_type, subject_public_id, details),
        ip_address=client_ip(request),
        details=details,
    )


def _seal(entries):
    """Chain `entries` onto the log's head. Holds the chain's lock until the transaction ends."""
    previous = chain.lock_and_read_head()
    now = timezone.now()
    for entry in entries:
        # Stamped under the lock, so time order and id order agree (date filters rely on it).
        entry.created_at = now
        entry.chain_hash = previous = chain.link(previous, entry.__dict__)
    return entries


def _recent_twin(entry):
    """An entry by the same person, of the same action on the same record, in the last few minutes."""
    if entry.subject_public_id is None:
        return None
    twins = AuditEntry.objects.filter(
        subject_public_id=entry.subject_public_id,
        subject_type=entry.subject_type,
        action=entry.action,
        actor_id=entry.actor_id,
        actor_label=entry.actor_label,
        created_at__gte=timezone.now() - timedelta(minutes=COALESCE_MINUTES),
    )
    return twins.order_by("-id").first()


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
    coalesce=False,
    **details,
):
    """Append one audit entry. Must run inside the caller's transaction so that the entry and the
    action commit or fail together.

    `coalesce=True` (autosaves) writes nothing when the same person already has an entry for the
    same action on the same record in the last COALESCE_MINUTES: the log stays append-only, and a
    minute of typing is one entry, not thirty."""
    _require_transaction()
    entry = _entry(actor, action, subject_type, subject_public_id, practice, request, actor_label, details)
    if coalesce:
        chain.lock_and_read_head()  # so two autosaves at once cannot both miss each other
        twin = _recent_twin(entry)
        if twin is not None:
            return twin
    _seal([entry])
    entry.save(force_insert=True)
    return entry


def record_many(*, actor, practice, request, entries, actor_label=None):
    """Append several entries in one statement, for a page that reads several records at once.
    `entries` holds (action, subject_type, subject_public_id, details) tuples."""
    _require_transaction()
    built = [
        _entry(actor, action, subject_type, subject_id, practice, request, actor_label, details)
        for action, subject_type, subject_id, details in entries
    ]
    # Inserted in list order, so ids follow the order the hashes were chained in.
    AuditEntry.objects.bulk_create(_seal(built))


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
