import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    LINK = "link", _("Link sent by the practice")
    PORTAL = "portal", _("Client portal")
    IN_PERSON = "in_person", _("In person, on the therapist's device")


class IntakeQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def drafts(self):
        return self.filter(submitted_at__isnull=True)

    def latest_signed(self):
        """The most recent submitted intake, or None: the one plans and notes start from."""
        return self.submitted().order_by("-submitted_at", "-id").first()


class Intake(models.Model):
    """What a client tells us before treatment. A draft is saved at every step; once submitted, the
    intake is kept as it was and a later intake supersedes it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey("accounts.Practice", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="intakes")
    # The form as the client left it, field by field, so a closed browser loses nothing.
    draft = models.JSONField(default=dict, blank=True)
    step = models.CharField(max_length=20, default="about")
    # The submitted intake in the contract's format (docs/intake-plan-v1.md).
    contract = models.JSONField(null=True, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.LINK)
    signature = models.CharField(_("signature"), max_length=200, blank=True)
    signed_ip = models.GenericIPAddressField(null=True, blank=True)
    signed_user_agent = models.CharField(max_length=400, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = IntakeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["client", "-submitted_at"])]

    def __str__(self):
        state = f"submitted {self.submitted_at:%Y-%m-%d}" if self.submitted_at else "draft"
        return f"Intake for {self.client} ({state})"

    @property
    def is_submitted(self):
        return self.submitted_at is not None
