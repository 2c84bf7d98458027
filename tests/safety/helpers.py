"""A client whose intake raised a red flag, ready for the practice to review."""

from bodymap.intake.models import Intake
from bodymap.safety.models import SafetyAlert
from tests.intake.helpers import fill_intake


def flagged_intake(http, client, **answers):
    """Fill in the whole intake answering yes to saddle numbness; returns the open alert."""
    fill_intake(http, client, screening={"saddle_numbness": "yes", **answers})
    intake = Intake.objects.submitted().get(client=client)
    return SafetyAlert.objects.get(intake=intake)
