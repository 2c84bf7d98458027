import hashlib
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Decision(models.TextChoices):
    GRANTED = "granted", _("Yes")
    OVER_DRAPE = "over_drape", _("Over the drape only")
    DECLINED = "declined", _("No")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Method(models.TextChoices):
    LINK = "link", _("Intake link")
    PORTAL = "portal", _("Client portal")
    IN_PERSON = "in_person", _("In person, on the therapist's device")
    CHECK_IN = "check_in", _("Check-in during the session")


class ConsentRecord(models.Model):
    """One consent decision for one region. Append-only: the database refuses UPDATE and DELETE.

    A change or a withdrawal is a new record that supersedes the previous one. Records without an
    appointment are the client's standing consent; records with one were given or withdrawn for
    that session only (the confirmation before treatment, or a check-in during it). Foreign keys
    carry no database constraint, so the records outlive anything they mention.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.DO_NOTHING, db_constraint=False, related_name="consents"
    )
    appointment = models.ForeignKey(
        "booking.Appointment",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="consents",
    )
    region = models.CharField(max_length=40)
    side = models.CharField(max_length=10, default="both")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    # Exactly what the client was shown, and its hash, so the wording can be proven later.
    explanation = models.TextField(blank=True)
    explanation_sha256 = models.CharField(max_length=64, blank=True)
    signature = models.CharField(max_length=200, blank=True)
    # For a client under 16: the parent or guardian who gave this decision. Nullable so the column
    # is added in place, without rebuilding the append-only table and its triggers.
    guardian_name = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    note = models.CharField(max_length=500, blank=True)
    method = models.CharField(max_length=20, choices=Method.choices)
    recorded_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    intake = models.ForeignKey(
        "intake.Intake",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="consents",
    )
    given_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)

    class Meta:
        ordering = ["given_at", "id"]
        indexes = [
            models.Index(fields=["client", "region", "given_at"]),
            models.Index(fields=["appointment", "region", "given_at"]),
        ]

    def __str__(self):
        return f"{self.region} {self.decision} for client {self.client_id} at {self.given_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def hash_text(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def allows_work(self) -> bool:
        return self.decision in (Decision.GRANTED, Decision.OVER_DRAPE)
