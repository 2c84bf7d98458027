"""Red-flag alerts for the demo: one emergency waiting for review, one clearance already handled."""

from datetime import timedelta

from bodymap import knowledge
from bodymap.accounts.models import Role
from bodymap.intake.models import Intake
from bodymap.safety.models import Outcome, SafetyAlert, SafetyReview, Urgency

REVIEWED = {
    "owen.fitzgerald@example.com": (
        Outcome.CLEARED_BY_DOCTOR,
        "Owen's oncologist saw him last week: no recurrence, cleared for gentle massage. Letter scanned.",
    ),
    "aisha.rahman@example.com": (
        Outcome.CLEARED_BY_DOCTOR,
        "Called Aisha: her midwife checked both calves at the 24-week visit and found no clot.",
    ),
}


def load(practice):
    """An alert for every demo intake whose plan refers the client on (no emails: nobody is real)."""
    reviewer = practice.memberships.filter(role=Role.THERAPIST).select_related("user").first()
    for intake in Intake.objects.submitted().filter(practice=practice).select_related("client"):
        plan = knowledge.plan(intake.contract)
        if plan["decision"] not in ("refer_emergency", "medical_clearance"):
            continue
        alert = SafetyAlert.objects.create(
            practice=practice,
            client=intake.client,
            intake=intake,
            urgency=Urgency.EMERGENCY if plan["decision"] == "refer_emergency" else Urgency.CLEARANCE,
            referrals=plan["referrals"],
            created_at=intake.submitted_at,
        )
        if intake.client.email in REVIEWED:
            outcome, note = REVIEWED[intake.client.email]
            SafetyReview.objects.create(
                alert=alert,
                outcome=outcome,
                note=note,
                recorded_by=reviewer.user,
                recorded_at=intake.submitted_at + timedelta(hours=20),
            )
