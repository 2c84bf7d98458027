"""A client with a long history of signed sessions, built directly for speed."""

from datetime import timedelta

from django.utils import timezone

from bodymap.booking.models import Appointment
from bodymap.notes.models import Addendum, FunctionalRating, PainRating, SessionNote


def build_history(practice, client, therapist, sessions: int, start=None):
    start = start or timezone.now() - timedelta(days=7 * sessions + 7)
    appointments = Appointment.objects.bulk_create(
        Appointment(
            practice=practice,
            client=client,
            therapist=therapist,
            start=start + timedelta(days=7 * i),
            end=start + timedelta(days=7 * i, hours=1),
            status="completed",
        )
        for i in range(sessions)
    )
    notes = SessionNote.objects.bulk_create(
        SessionNote(
            practice=practice,
            client=client,
            appointment=a,
            therapist=therapist,
            subjective=f"Session {i + 1}",
            treatment=[
                {"region": "low_back", "side": "both", "minutes": 60, "techniques": [], "contact": "skin"}
            ],
            pain=[{"region": "low_back", "side": "both", "rating": max(8 - i // 3, 2)}],
            signed_at=a.end,
            signed_by=therapist.user,
            signature=therapist.display_name,
        )
        for i, a in enumerate(appointments)
    )
    PainRating.objects.bulk_create(
        PainRating(
            client=client,
            note=n,
            region="low_back",
            side="both",
            rating=n.pain[0]["rating"],
            recorded_at=n.appointment.start,
        )
        for n in notes
    )
    FunctionalRating.objects.bulk_create(
        FunctionalRating(
            client=client,
            note=n,
            activity="Sitting through a meeting",
            score=min(3 + i // 4, 9),
            recorded_at=n.appointment.start,
        )
        for i, n in enumerate(notes)
    )
    Addendum.objects.bulk_create(
        Addendum(note=n, text="Late entry.", author=therapist.user, signature=therapist.display_name)
        for n in notes[::10]
    )
    return notes
