"""Signed session notes and outcome histories for the demo practice: some clients improve
meaningfully, some do not yet, one note has an addendum and one draft is overdue."""

from datetime import timedelta

from django.utils import timezone

from bodymap.booking.models import AppointmentStatus
from bodymap.chart.planning import plan_for
from bodymap.consent.actions import record_consent
from bodymap.consent.state import consent_for
from bodymap.notes.models import Addendum, FunctionalRating, PainRating, SessionNote

# email: (pain per session for the first complaint, (activity, scores) or None)
HISTORIES = {
    "sam.rivera@example.com": ([7, 6, 6, 5, 4, 3], ("Sitting through a work meeting", [3, 4, 5, 6, 6, 7])),
    "elena.kowalski@example.com": ([5, 5, 4, 5, 4], ("Turning my head to reverse the car", [5, 5, 6, 6, 6])),
    "marcus.bell@example.com": ([6, 5, 4, 3], ("Driving for an hour", [4, 5, 7, 8])),
    "tom.lindqvist@example.com": ([6, 6, 6], None),
    "hannah.schultz@example.com": ([5, 4, 4, 3, 3], ("Climbing stairs", [6, 6, 7, 7, 8])),
}
TECHNIQUES = {"gluteal": ["effleurage", "trigger_point"], "low_back": ["effleurage", "petrissage"]}


def load(practice, clients):
    by_email = {c.email: c for c in clients}
    for email, (pains, function) in HISTORIES.items():
        client = by_email[email]
        intake = client.intakes.submitted().first()
        complaint = intake.contract["complaints"][0]
        past = list(
            client.appointments.filter(status=AppointmentStatus.COMPLETED, start__lt=timezone.now())
            .select_related("therapist__user")
            .order_by("-start")[: len(pains)]
        )[::-1]
        for i, appointment in enumerate(past):
            _confirm(client, appointment)
            note = _signed_note(client, intake, appointment, complaint, pains[i], function, i)
            if email == "sam.rivera@example.com" and i == 1:
                Addendum.objects.create(
                    note=note,
                    author=appointment.therapist.user,
                    signature=appointment.therapist.display_name,
                    created_at=note.signed_at + timedelta(hours=5),
                    text="Correction: the left hip was tender, not the right. Client also reported sleeping "
                    "better since the last session.",
                )
    _overdue_draft(by_email["sam.rivera@example.com"])


def _confirm(client, appointment):
    """Consent confirmed in the room at the start of the session, as the practice requires."""
    for region, consent in consent_for(client).items():
        record_consent(
            client=client,
            region=region,
            decision=consent.decision,
            method="in_person",
            appointment=appointment,
            signature=client.full_name,
            given_at=appointment.start,
            actor_label="demo",
        )


def _signed_note(client, intake, appointment, complaint, pain, function, index):
    plan = plan_for(client, intake, appointment=appointment, consents=consent_for(client, appointment))
    treatment = (
        [
            {
                "region": item["region"],
                "side": "both" if item["side"] == "midline" else item["side"],
                "minutes": item["minutes"],
                "techniques": TECHNIQUES.get(item["region"], ["effleurage"]),
                "contact": item["contact"],
            }
            for item in plan["plan"]
        ]
        if plan and plan["decision"] == "proceed"
        else []
    )
    side = complaint.get("side", "both")
    psfs = [{"activity": function[0], "score": function[1][index]}] if function else []
    note = SessionNote.objects.create(
        practice=client.practice,
        client=client,
        appointment=appointment,
        therapist=appointment.therapist,
        subjective=f"Reports pain {pain}/10 today.",
        objective="Palpable tension as charted.",
        findings=[
            {
                "region": complaint["region"],
                "side": side,
                "muscle": "",
                "tension": 2,
                "tenderness": 2,
                "trigger_points": index % 2 == 0,
                "rom": "",
            }
        ],
        treatment=treatment,
        assessment="Responding to treatment." if pain <= 4 else "Slow progress.",
        plan="Continue weekly; home stretches as given.",
        self_care=[s["id"] for s in (plan or {}).get("self_care", [])],
        pain=[{"region": complaint["region"], "side": side, "rating": pain}],
        psfs=psfs,
        signed_at=appointment.end + timedelta(minutes=20),
        signed_by=appointment.therapist.user,
        signature=appointment.therapist.display_name,
        created_at=appointment.start,
    )
    PainRating.objects.create(
        client=client,
        note=note,
        region=complaint["region"],
        side=side,
        rating=pain,
        recorded_at=appointment.start,
    )
    for row in psfs:
        FunctionalRating.objects.create(
            client=client,
            note=note,
            activity=row["activity"],
            score=row["score"],
            recorded_at=appointment.start,
        )
    return note


def _overdue_draft(client):
    """A note its therapist has not signed for days, so the dashboard has something to flag."""
    taken = SessionNote.objects.filter(client=client).values_list("appointment_id", flat=True)
    appointment = (
        client.appointments.filter(
            status=AppointmentStatus.COMPLETED, start__lt=timezone.now() - timedelta(days=3)
        )
        .exclude(pk__in=taken)
        .order_by("-start")
        .first()
    )
    if appointment is not None:
        SessionNote.objects.create(
            practice=client.practice,
            client=client,
            appointment=appointment,
            therapist=appointment.therapist,
            subjective="Started, not finished.",
            created_at=appointment.start,
        )
