"""Writes of session notes: drafts, signing (which locks), addenda. Each audited in its transaction."""

from django.db import transaction
from django.utils import timezone

from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.booking.models import Appointment, AppointmentStatus
from bodymap.notes.models import Addendum, FunctionalRating, PainRating, SessionNote


class NotYetStarted(ValueError):
    """A note cannot be signed before its appointment has started."""


class NoConsentForWork(ValueError):
    """A row of work on a region the client has not consented to for this appointment."""

    def __init__(self, regions):
        super().__init__("no consent for this appointment on: " + ", ".join(regions))
        self.regions = regions


def unconsented_regions(note, rows: dict) -> list[str]:
    """Regions with treatment or findings rows the client has not agreed to for this appointment: a
    sensitive region without consent in force, skin contact where consent is over the drape only, or a
    region the client asked not to be touched on. The form says the same; this is the last word."""
    from bodymap.consent.state import consent_for

    consents = consent_for(note.client, note.appointment)
    intake = note.client.intakes.latest_signed()
    avoid = set((intake.contract or {}).get("avoid", [])) if intake else set()
    refused = set()
    for row in (row for kind in ("treatment", "findings") for row in rows.get(kind, [])):
        region, consent = row["region"], consents.get(row["region"])
        if region in avoid:
            refused.add(region)
        elif consent is not None and not consent.allows_work:
            refused.add(region)
        elif consent is not None and consent.decision == "over_drape" and row.get("contact") == "skin":
            refused.add(region)
    return sorted(refused)


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
    _audit(request, locked, AuditAction.CHANGE, autosave=True, coalesce=True)


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
    """Save the final text and lock it. Outcome ratings are recorded with the signature.

    Refused before the appointment has started (a note records what happened), and when a row of
    work or palpation sits on a region without consent for this appointment, whatever the form said.
    """
    now = timezone.now()
    if now < note.appointment.start:
        raise NotYetStarted(f"the appointment starts at {note.appointment.start.isoformat()}")
    missing = unconsented_regions(note, cleaned)
    if missing:
        raise NoConsentForWork(missing)
    from bodymap.notes.prefill import without_prompt

    cleaned = {**cleaned, "plan": without_prompt(cleaned.get("plan", ""))}
    locked = save_note(note=note, cleaned=cleaned, request=request)
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
    # Only an appointment that has started can be completed; the check above makes this one so, and
    # the filter says it again so no future appointment is ever marked done.
    Appointment.objects.filter(
        pk=locked.appointment_id,
        start__lte=now,
        status__in=[AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN],
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
