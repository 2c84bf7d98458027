"""Writes of session notes: drafts, signing (which locks), addenda. Each audited in its transaction."""

from django.db import transaction
from django.utils import timezone

from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.booking.models import Appointment, AppointmentStatus
from bodymap.notes.models import Addendum, FunctionalRating, PainRating, SessionNote


def _audit(request, note, action, **details):
    record(
        actor=request.user,
        practice=note.practice,
        action=action,
        subject_type="note",
        subject_public_id=note.public_id,
        request=request,
        client=str(note.client.public_id),
        **details,
    )


@transaction.atomic
def open_note(*, appointment, membership, request, initial: dict) -> SessionNote:
    """The appointment's note, created as a draft the first time it is opened."""
    note = SessionNote.objects.filter(appointment=appointment).first()
    if note is not None:
        return note
    soap = initial.get("soap", {})
    note = SessionNote.objects.create(
        practice=appointment.practice,
        client=appointment.client,
        appointment=appointment,
        therapist=appointment.therapist,
        subjective=soap.get("subjective", ""),
        plan=soap.get("plan", ""),
        self_care=soap.get("self_care", []),
        pain=initial.get("pain", []),
        psfs=initial.get("psfs", []),
    )
    _audit(request, note, AuditAction.CREATE)
    return note


@transaction.atomic
def autosave(*, note, raw: dict, request) -> None:
    """Keep what was typed, valid or not, so a closed browser loses nothing."""
    locked = SessionNote.objects.select_for_update().get(pk=note.pk)
    if locked.is_signed:
        return
    locked.draft = raw
    locked.save(update_fields=["draft", "updated_at"])
    _audit(request, locked, AuditAction.CHANGE, autosave=True)


@transaction.atomic
def save_note(*, note, cleaned: dict, request) -> SessionNote:
    locked = SessionNote.objects.select_for_update().get(pk=note.pk)
    if locked.is_signed:
        raise ValueError("a signed note cannot be changed")
    for field, value in cleaned.items():
        setattr(locked, field, value)
    locked.draft = {}
    locked.save()
    _audit(request, locked, AuditAction.CHANGE)
    return locked


@transaction.atomic
def sign_note(*, note, cleaned: dict, request) -> SessionNote:
    """Save the final text and lock it. Outcome ratings are recorded with the signature."""
    locked = save_note(note=note, cleaned=cleaned, request=request)
    now = timezone.now()
    locked.signed_at = now
    locked.signed_by = request.user
    locked.signature = request.user.full_name or request.user.email
    locked.save(update_fields=["signed_at", "signed_by", "signature", "updated_at"])
    when = locked.appointment.start
    PainRating.objects.bulk_create(
        PainRating(
            client=locked.client,
            note=locked,
            region=p["region"],
            side=p["side"],
            rating=p["rating"],
            recorded_at=when,
        )
        for p in locked.pain
    )
    FunctionalRating.objects.bulk_create(
        FunctionalRating(
            client=locked.client, note=locked, activity=f["activity"], score=f["score"], recorded_at=when
        )
        for f in locked.psfs
    )
    Appointment.objects.filter(
        pk=locked.appointment_id, status__in=[AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN]
    ).update(status=AppointmentStatus.COMPLETED)
    _audit(request, locked, AuditAction.CHANGE, signed=True)
    return locked


@transaction.atomic
def add_addendum(*, note, text: str, request) -> Addendum:
    if not note.is_signed:
        raise ValueError("addenda are for signed notes; edit the draft instead")
    addendum = Addendum.objects.create(
        note=note, text=text, author=request.user, signature=request.user.full_name or request.user.email
    )
    record(
        actor=request.user,
        practice=note.practice,
        action=AuditAction.CREATE,
        subject_type="addendum",
        subject_public_id=addendum.public_id,
        request=request,
        note=str(note.public_id),
    )
    return addendum
