"""A client's own records, for the client (portal) or for staff answering an access request:
a readable PDF and the FHIR JSON. Each download is audited as an export of that client's record."""

from django.db import transaction
from django.utils import timezone

from bodymap.accounts.models import Membership
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.booking.models import AppointmentStatus
from bodymap.exchange import fhir
from bodymap.exchange.exporting import _note_pdfs, fhir_resources
from bodymap.notes.documents import summary_pdf
from bodymap.notes.models import SessionNote


def _audit(client, request, fmt, *, actor, actor_label=None):
    record(
        actor=actor,
        actor_label=actor_label,
        practice=client.practice,
        action=AuditAction.EXPORT,
        subject_type="client",
        subject_public_id=client.public_id,
        request=request,
        document="own records",
        format=fmt,
    )


def records_json(client, *, request, actor, actor_label=None) -> bytes:
    """The client's records as a FHIR Bundle, signed notes embedded as PDF."""
    with transaction.atomic():
        _audit(client, request, "fhir", actor=actor, actor_label=actor_label)
        members = {
            m.pk: m for m in Membership.objects.filter(practice=client.practice).select_related("user")
        }
        visits = list(client.appointments.exclude(status=AppointmentStatus.HELD).order_by("start", "id"))
        for visit in visits:
            visit.client, visit.therapist = client, members[visit.therapist_id]
        by_pk = {v.pk: v for v in visits}
        notes = list(SessionNote.objects.filter(client=client, signed_at__isnull=False).order_by("signed_at"))
        for note in notes:
            note.client, note.appointment = client, by_pk[note.appointment_id]
            note.therapist = members[note.therapist_id]
        pdfs = {note.pk: pdf for note, pdf in _note_pdfs(notes)}
        # Only the practitioners who treated this client, not the whole staff list.
        treating = {v.therapist_id for v in visits}
        members = {pk: m for pk, m in members.items() if pk in treating}
        resources = fhir_resources(client.practice, members, [client], visits, notes, pdfs=pdfs)
        return fhir.to_json(fhir.bundle(resources, timezone.now()), indent=1)


def records_pdf(client, *, request, actor, actor_label=None) -> bytes:
    """The client's treatment summary written for them: complaints, consent, work done, outcomes."""
    with transaction.atomic():
        _audit(client, request, "pdf", actor=actor, actor_label=actor_label)
        return summary_pdf(client, "client", client.intakes.latest_signed())
