import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def validate_birth_date(value):
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("The date of birth cannot be in the future."))
    if value.year < today.year - 120:
        raise ValidationError(_("Check the year: that would make the client over 120."))


class Client(models.Model):
    """A person who receives treatment. Contact details are visible to front desk; clinical
    records (intake, consent, notes) hang off this record and are not."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey("accounts.Practice", on_delete=models.PROTECT, related_name="clients")
    # Set when the client first signs in to the portal.
    user = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="client_records",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    date_of_birth = models.DateField(
        _("date of birth"), null=True, blank=True, validators=[validate_birth_date]
    )
    address = models.TextField(_("address"), blank=True, max_length=500)
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=200, blank=True)
    emergency_contact_phone = models.CharField(_("emergency contact phone"), max_length=40, blank=True)
    assigned_therapist = models.ForeignKey(
        "accounts.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_clients",
        verbose_name=_("assigned therapist"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # An online booking whose email matched this client: kept apart until staff merge them or the
    # booker proves the address, since an email alone does not say who someone is.
    possible_duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="possible_duplicates"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["practice", "last_name", "first_name"]),
            models.Index(fields=["practice", "email"]),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def display_name(self):
        if self.preferred_name and self.preferred_name != self.first_name:
            return f"{self.preferred_name} ({self.full_name})"
        return self.full_name

    @property
    def initials(self):
        return (self.first_name[:1] + self.last_name[:1]).upper()

    def age_on(self, day):
        if not self.date_of_birth:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class ContactChange(models.Model):
    """Contact details a client typed on an intake link, waiting for staff to accept or dismiss them:
    whoever holds a link must not be able to rewrite who the client is."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contact_changes")
    proposed = models.JSONField(default=dict)
    intake = models.ForeignKey(
        "intake.Intake", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"contact change for {self.client} ({self.decision})"

    def rows(self):
        """(label, current, proposed) for each proposed field, for the review."""
        return [
            (Client._meta.get_field(name).verbose_name, getattr(self.client, name), value)
            for name, value in self.proposed.items()
        ]
