"""Red flags raised by a submitted intake, and what the practice did about each one.

Both tables are append-only: an alert is never edited or deleted, and it is closed by a review row
that records who did what and when. Foreign keys carry no database constraint, so these records
outlive anything they mention.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NO_CONSTRAINT = {"on_delete": models.DO_NOTHING, "db_constraint": False}


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    CLEARANCE = "clearance", _("Medical clearance")


class Outcome(models.TextChoices):
    CALLED_CLIENT = "called_client", _("I called the client and talked it through")
    CLEARED_BY_DOCTOR = "cleared_by_doctor", _("The client has been cleared by a doctor")
    APPOINTMENT_CANCELLED = "appointment_cancelled", _("The appointment is cancelled until they are seen")
    OTHER = "other", _("Something else (say what in the note)")


class AlertQuerySet(models.QuerySet):
    # Subqueries on the review table rather than the reverse relation, so these work whichever
    # apps are loaded around the model.
    def open(self):
        return self.exclude(pk__in=SafetyReview.objects.values("alert_id"))

    def reviewed(self):
        return self.filter(pk__in=SafetyReview.objects.values("alert_id"))


class SafetyAlert(models.Model):
    """A submitted intake gave `refer_emergency` or `medical_clearance`. Open until reviewed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey("accounts.Practice", related_name="+", **NO_CONSTRAINT)
    client = models.ForeignKey("clients.Client", related_name="safety_alerts", **NO_CONSTRAINT)
    intake = models.ForeignKey("intake.Intake", related_name="safety_alerts", **NO_CONSTRAINT)
    urgency = models.CharField(max_length=20, choices=Urgency.choices)
    # The planner's referrals as they were when the intake came in: flag, urgency, message, evidence.
    referrals = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["practice", "created_at"]), models.Index(fields=["client"])]

    def __str__(self):
        return f"{self.urgency} alert for client {self.client_id} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_emergency(self):
        return self.urgency == Urgency.EMERGENCY


class SafetyReview(models.Model):
    """What a therapist or the owner did about an alert. Writing one acknowledges the alert."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    alert = models.ForeignKey(SafetyAlert, related_name="reviews", **NO_CONSTRAINT)
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    note = models.CharField(_("what was done"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey("accounts.User", related_name="+", **NO_CONSTRAINT)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self):
        return f"Review of alert {self.alert_id}: {self.outcome}"
