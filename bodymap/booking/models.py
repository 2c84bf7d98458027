import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


class AppointmentQuerySet(models.QuerySet):
    def holding_time(self):
        """Appointments that occupy the therapist's time (cancelled ones free it)."""
        return self.exclude(status=AppointmentStatus.CANCELLED)

    def between(self, start, end):
        return self.filter(start__lt=end, end__gt=start)


class Appointment(models.Model):
    """A client's time with a therapist. Times are stored in UTC."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, related_name="appointments"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="appointments"
    )
    therapist = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="appointments"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    service_name = models.CharField(_("service"), max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            models.Index(fields=["therapist", "start"]),
            models.Index(fields=["client", "start"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="appointment_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.client} with {self.therapist.user} at {self.start:%Y-%m-%d %H:%M} UTC"

    @property
    def minutes(self):
        return int((self.end - self.start).total_seconds() // 60)
