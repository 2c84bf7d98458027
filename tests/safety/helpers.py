"""A client whose intake raised a red flag, ready for the practice to review."""

from bodymap.intake.models import Intake
from bodymap.safety.models import SafetyAlert
from tests.intake.helpers import fill_intake


def flagged_intake(http, client, **answers):
    """Fill in the whole intake answering yes to saddle numbness; returns the open alert."""
    fill_intake(http, client, screening={"saddle_numbness": "yes", **answers})
    intake = Intake.objects.submitted().get(client=client)
    return SafetyAlert.objects.get(intake=intake)


def open_alert(cast, client=None):
    """An unreviewed emergency alert for the cast's client, made directly (no intake pages)."""
    client = client or cast.client
    intake = Intake.objects.create(
        practice=cast.practice,
        client=client,
        contract={"version": 2, "session_minutes": 60, "screening": {"saddle_numbness": True}},
        submitted_at=cast.appointment.start,
    )
    return SafetyAlert.objects.create(
        practice=cast.practice,
        client=client,
        intake=intake,
        urgency="emergency",
        referrals=[{"flag": "saddle_numbness", "urgency": "emergency", "message": "Numbness: go now."}],
    )
