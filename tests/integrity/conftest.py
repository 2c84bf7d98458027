import pytest
from django.utils import timezone

from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.consent.actions import record_consent
from bodymap.notes.models import Addendum, FunctionalRating, PainRating, SessionNote

# Every table whose rows carry legal weight, with the word its refusal uses.
PROTECTED = {
    "audit_auditentry": "append-only",
    "consent_consentrecord": "append-only",
    "notes_sessionnote": "locked",
    "notes_addendum": "append-only",
    "notes_painrating": "append-only",
    "notes_functionalrating": "append-only",
}


@pytest.fixture
def protected_rows(cast):
    """One row in every protected table: a signed note with its addendum and ratings, a consent
    decision and an audit entry."""
    now = timezone.now()
    note = SessionNote.objects.create(
        practice=cast.practice,
        client=cast.client,
        appointment=cast.appointment,
        therapist=cast.therapist,
        subjective="Low back stiff after driving.",
        signed_at=now,
        signed_by=cast.therapist.user,
        signature=cast.therapist.user.full_name,
    )
    Addendum.objects.create(note=note, text="Relief on standing.", author=cast.therapist.user, signature="T")
    PainRating.objects.create(client=cast.client, note=note, region="low_back", rating=4, recorded_at=now)
    FunctionalRating.objects.create(
        client=cast.client, note=note, activity="Sitting through a meeting", score=5, recorded_at=now
    )
    record_consent(
        client=cast.client, region="gluteal", decision="granted", method="in_person", signature="Sam"
    )
    record(
        actor=cast.owner.user,
        practice=cast.practice,
        action=AuditAction.VIEW,
        subject_type="client",
        subject_public_id=cast.client.public_id,
    )
    return note
