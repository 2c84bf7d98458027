"""Writes of consent. Every decision is a new, append-only record, audited in the same transaction."""

from django.db import transaction
from django.utils import timezone

from bodymap.audit.log import client_ip, record
from bodymap.audit.models import AuditAction
from bodymap.consent.models import ConsentRecord, Decision, Method


def _previous(client, region, appointment):
    return (
        ConsentRecord.objects.filter(client=client, region=region, appointment=appointment)
        .order_by("-given_at", "-id")
        .first()
    )


@transaction.atomic
def record_consent(
    *,
    client,
    region,
    decision,
    method,
    request=None,
    actor=None,
    explanation="",
    signature="",
    appointment=None,
    intake=None,
    note="",
    actor_label=None,
    given_at=None,
    guardian="",
):
    """Add one decision. It supersedes the previous decision for the same region and scope
    (standing consent, or the same appointment)."""
    if decision not in Decision.values:
        raise ValueError(f"unknown consent decision {decision!r}")
    entry = ConsentRecord.objects.create(
        practice=client.practice,
        client=client,
        appointment=appointment,
        region=region,
        decision=decision,
        explanation=explanation,
        explanation_sha256=ConsentRecord.hash_text(explanation) if explanation else "",
        signature=signature,
        guardian_name=guardian or None,
        note=note,
        method=method,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        supersedes=_previous(client, region, appointment),
        intake=intake,
        # Only imports of earlier records pass a time; everything else is stamped now.
        given_at=given_at or timezone.now(),
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:400] if request else ""),
    )
    record(
        actor=actor,
        actor_label=actor_label,
        practice=client.practice,
        action=AuditAction.CREATE,
        subject_type="consent",
        subject_public_id=entry.public_id,
        request=request,
        client=str(client.public_id),
        region=region,
        decision=decision,
        method=method,
        **({"guardian": True} if guardian else {}),
        **({"appointment": str(appointment.public_id)} if appointment else {}),
    )
    return entry


@transaction.atomic
def change_consent(*, client, region, decision, explanation, signature, request, guardian=""):
    """The client gives or changes standing consent for one region from the portal, with the text
    they read and their signature; it supersedes the region's previous decision from now on."""
    return record_consent(
        client=client,
        region=region,
        decision=decision,
        method=Method.PORTAL,
        request=request,
        actor=request.user,
        explanation=explanation,
        signature=signature,
        guardian=guardian,
    )


@transaction.atomic
def withdraw_consent(*, client, region, request, actor, method=Method.PORTAL, note="", actor_label=None):
    """The client takes back their standing consent for a region, from now on."""
    return record_consent(
        client=client,
        region=region,
        decision=Decision.WITHDRAWN,
        method=method,
        request=request,
        actor=actor,
        note=note,
        actor_label=actor_label,
    )


@transaction.atomic
def confirm_session_consent(
    *, appointment, decisions: dict, explanations: dict, signature, request, actor, guardian=""
):
    """Consent confirmed with the client, in person, at the start of one appointment: the client's
    own typed signature (a guardian's for a minor) on the therapist's device."""
    return [
        record_consent(
            client=appointment.client,
            region=region,
            decision=decision,
            method=Method.IN_PERSON,
            request=request,
            actor=actor,
            explanation=explanations.get(region, ""),
            signature=signature,
            appointment=appointment,
            guardian=guardian,
        )
        for region, decision in decisions.items()
    ]


@transaction.atomic
def log_check_in(*, appointment, region, note, request, actor):
    """The client asked to stop work on a region: consent is withdrawn for the rest of the session."""
    return record_consent(
        client=appointment.client,
        region=region,
        decision=Decision.WITHDRAWN,
        method=Method.CHECK_IN,
        request=request,
        actor=actor,
        appointment=appointment,
        note=note,
    )
