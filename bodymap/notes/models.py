import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Foreign keys from these tables carry no database constraint: signed notes, addenda and outcome
# ratings can never be deleted, so they must not stop anything else from being removed or archived.
NO_CONSTRAINT = {"on_delete": models.DO_NOTHING, "db_constraint": False}


class NoteQuerySet(models.QuerySet):
    def signed(self):
        return self.filter(signed_at__isnull=False)

    def unsigned(self):
        return self.filter(signed_at__isnull=True)


class SessionNote(models.Model):
    """The SOAP note of one appointment. Editable while a draft; once signed the database refuses
    any UPDATE or DELETE of it, and corrections are addenda."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey("accounts.Practice", related_name="+", **NO_CONSTRAINT)
    client = models.ForeignKey("clients.Client", related_name="notes", **NO_CONSTRAINT)
    appointment = models.OneToOneField("booking.Appointment", related_name="note", **NO_CONSTRAINT)
    therapist = models.ForeignKey("accounts.Membership", related_name="+", **NO_CONSTRAINT)
    subjective = models.TextField(_("subjective"), blank=True, max_length=10_000)
    objective = models.TextField(_("objective"), blank=True, max_length=10_000)
    # [{region, side, muscle, tension 0-3, tenderness 0-3, trigger_points, rom}]
    findings = models.JSONField(default=list, blank=True)
    assessment = models.TextField(_("assessment"), blank=True, max_length=10_000)
    plan = models.TextField(_("plan"), blank=True, max_length=10_000)
    # [{region, side, minutes, techniques: [..], contact: skin | over_drape}]
    treatment = models.JSONField(default=list, blank=True)
    self_care = models.JSONField(default=list, blank=True)  # self-care ids from the knowledge base
    pain = models.JSONField(default=list, blank=True)  # [{region, side, rating}] today
    psfs = models.JSONField(default=list, blank=True)  # [{activity, score}] today
    # The form exactly as last typed, so an unfinished note survives a closed browser.
    draft = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey("accounts.User", null=True, blank=True, related_name="+", **NO_CONSTRAINT)
    signature = models.CharField(max_length=200, blank=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["client", "created_at"]),
            models.Index(fields=["therapist", "signed_at"]),
        ]

    def __str__(self):
        return f"SOAP note {self.public_id} ({'signed' if self.signed_at else 'draft'})"

    @property
    def is_signed(self):
        return self.signed_at is not None


class Addendum(models.Model):
    """A signed correction or addition to a signed note. Append-only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    note = models.ForeignKey(SessionNote, related_name="addenda", **NO_CONSTRAINT)
    text = models.TextField(_("addendum"), max_length=5_000)
    author = models.ForeignKey("accounts.User", related_name="+", **NO_CONSTRAINT)
    signature = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Addendum to {self.note_id} at {self.created_at:%Y-%m-%d %H:%M}"


class PainRating(models.Model):
    """Pain in one complaint region, 0–10, as reported at one session. Append-only."""

    client = models.ForeignKey("clients.Client", related_name="pain_ratings", **NO_CONSTRAINT)
    note = models.ForeignKey(SessionNote, related_name="pain_ratings", **NO_CONSTRAINT)
    region = models.CharField(max_length=40)
    side = models.CharField(max_length=10, default="both")
    rating = models.PositiveSmallIntegerField()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["client", "recorded_at"])]

    def __str__(self):
        return f"{self.region} {self.rating}/10 at {self.recorded_at:%Y-%m-%d}"


class FunctionalRating(models.Model):
    """Patient-Specific Functional Scale: an activity the client named, rated 0–10 (10 = able to do it
    as before). Append-only."""

    client = models.ForeignKey("clients.Client", related_name="functional_ratings", **NO_CONSTRAINT)
    note = models.ForeignKey(SessionNote, related_name="functional_ratings", **NO_CONSTRAINT)
    activity = models.CharField(max_length=120)
    score = models.PositiveSmallIntegerField()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["client", "recorded_at"])]

    def __str__(self):
        return f"{self.activity}: {self.score}/10 at {self.recorded_at:%Y-%m-%d}"
