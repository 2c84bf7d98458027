import uuid
from datetime import timedelta
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")
    # Offered to a waitlisted client: the slot is held for them until hold_expires_at.
    HELD = "held", _("Held for the waitlist")


# No appointment, its turnover buffer included, lasts longer than this: services are at most eight
# hours and buffers at most two (the service form's limits). Range queries use it as a lower bound
# on `start`, without which a date-range query walks every appointment the practice ever had.
LONGEST_APPOINTMENT = timedelta(days=1)

# Every status except cancelled holds the therapist's time; the database constraint says the same.
FREE_STATUSES = (AppointmentStatus.CANCELLED,)


class AppointmentQuerySet(models.QuerySet):
    def holding_time(self):
        """Appointments that occupy the therapist's time (cancelled ones free it)."""
        return self.exclude(status__in=FREE_STATUSES)

    def between(self, start, end):
        # The lower bound on `start` lets the (…, start) indexes read only the range, not all history.
        return self.filter(start__lt=end, end__gt=start, start__gt=start - LONGEST_APPOINTMENT)

    def blocking(self, start, end, now=None):
        """Appointments whose time, turnover buffer included, overlaps [start, end). A waitlist hold
        that has run out no longer blocks."""
        now = now or timezone.now()
        return (
            self.holding_time()
            .alias(blocked_until=Coalesce("holds_until", "end"))
            .filter(start__lt=end, blocked_until__gt=start, start__gt=start - LONGEST_APPOINTMENT)
            .exclude(status=AppointmentStatus.HELD, hold_expires_at__lte=now)
        )


class Appointment(models.Model):
    """A client's time with a therapist. Times are stored in UTC."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey("accounts.Practice", on_delete=models.PROTECT, related_name="appointments")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="appointments")
    therapist = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="appointments"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    # The therapist is busy until here: the end plus the service's turnover buffer. Empty means `end`.
    holds_until = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    service = models.ForeignKey(
        "booking.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("service"),
    )
    service_name = models.CharField(_("service"), max_length=120, blank=True)
    # Online bookings carry the caller's key, so a retried request returns the first booking.
    idempotency_key = models.CharField(max_length=100, blank=True, default="")
    # A keyed hash of what was asked for with that key: the same key with anything else is refused,
    # so a key that leaks never hands over someone else's booking. Nullable so that SQLite adds the
    # column in place rather than rebuilding the table, which would drop its triggers.
    idempotency_fingerprint = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    booked_online = models.BooleanField(default=False)
    # The client on this appointment is known to be the one who booked it: staff booked it, the
    # booking created the client, or the booker proved the address. Only then does the appointment
    # open the client's chart to its therapist. An online booking merged into someone on file by
    # staff is not: nobody proved who made it.
    identity_confirmed = models.BooleanField(default=True)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            models.Index(fields=["therapist", "start"]),
            models.Index(fields=["client", "start"]),
            # The whole-practice dashboard, calendar and reports read a date range of one practice.
            models.Index(fields=["practice", "start"], name="appointment_practice_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="appointment_ends_after_start"),
            models.CheckConstraint(
                condition=Q(holds_until__isnull=True) | Q(holds_until__gte=F("end")),
                name="appointment_holds_until_after_end",
            ),
            models.UniqueConstraint(
                fields=["practice", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="appointment_idempotency_key_once",
            ),
        ]
        # The overlap rule itself lives in migration 0003: an exclusion constraint on PostgreSQL and
        # triggers on SQLite, neither of which Django's constraint classes can express for both.

    def __str__(self):
        return f"{self.client} with {self.therapist.user} at {self.start:%Y-%m-%d %H:%M} UTC"

    @property
    def minutes(self):
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def blocked_until(self):
        return self.holds_until or self.end

    @property
    def is_active_booking(self):
        return self.status in (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN)


class BookingSettings(models.Model):
    """A practice's booking rules. The practice's time zone lives on the practice itself."""

    practice = models.OneToOneField(
        "accounts.Practice", on_delete=models.CASCADE, related_name="booking_settings"
    )
    online_booking = models.BooleanField(_("clients may book online"), default=True)
    min_notice_minutes = models.PositiveIntegerField(
        _("minimum notice (minutes)"), default=120, validators=[MaxValueValidator(60 * 24 * 30)]
    )
    horizon_days = models.PositiveIntegerField(
        _("how far ahead clients may book (days)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    slot_step_minutes = models.PositiveIntegerField(
        _("slot step (minutes)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    cancellation_window_hours = models.PositiveIntegerField(
        _("clients may cancel or reschedule until this many hours before"), default=24
    )
    reminder_hours = models.PositiveIntegerField(_("send a reminder this many hours before"), default=24)
    waitlist_hold_minutes = models.PositiveIntegerField(
        _("hold a freed slot for a waitlisted client (minutes)"),
        default=120,
        validators=[MinValueValidator(5)],
    )

    class Meta:
        verbose_name_plural = "booking settings"

    def __str__(self):
        return f"Booking rules of {self.practice}"

    @property
    def min_notice(self):
        return timedelta(minutes=self.min_notice_minutes)

    @property
    def horizon(self):
        return timedelta(days=self.horizon_days)


class TherapistProfile(models.Model):
    """What the public booking page shows of a therapist: a stable slug and whether they book online."""

    membership = models.OneToOneField(
        "accounts.Membership", on_delete=models.CASCADE, related_name="booking_profile"
    )
    practice = models.ForeignKey("accounts.Practice", on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField()
    bookable_online = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "slug"], name="therapist_slug_once_per_practice")
        ]

    def __str__(self):
        return self.slug


class Service(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey("accounts.Practice", on_delete=models.PROTECT, related_name="services")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField()
    minutes = models.PositiveIntegerField(
        _("minutes"), validators=[MinValueValidator(5), MaxValueValidator(8 * 60)]
    )
    # What a client reads on the booking page before choosing: what happens, who it suits.
    description = models.TextField(_("description"), blank=True, max_length=600)
    buffer_after_minutes = models.PositiveIntegerField(_("turnover buffer after (minutes)"), default=0)
    price = models.DecimalField(_("price"), max_digits=8, decimal_places=2, default=Decimal("0"))
    therapists = models.ManyToManyField(
        "accounts.Membership", related_name="services", blank=True, verbose_name=_("offered by")
    )
    is_active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "slug"], name="service_slug_once_per_practice")
        ]

    def __str__(self):
        return self.name

    @property
    def duration(self):
        return timedelta(minutes=self.minutes)

    @property
    def buffer(self):
        return timedelta(minutes=self.buffer_after_minutes)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WorkingHours(models.Model):
    """A therapist's hours on one weekday, in the practice's local time, with an optional break."""

    therapist = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="working_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))
    break_start = models.TimeField(_("break from"), null=True, blank=True)
    break_end = models.TimeField(_("break until"), null=True, blank=True)

    class Meta:
        ordering = ["therapist", "weekday", "start"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="hours_end_after_start"),
            models.CheckConstraint(
                condition=Q(break_start__isnull=True, break_end__isnull=True)
                | Q(break_start__gte=F("start"), break_end__gt=F("break_start"), break_end__lte=F("end")),
                name="hours_break_inside_hours",
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class DayOverride(models.Model):
    """A one-off change to one date: other hours that day, or (no times) not working at all."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    therapist = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="day_overrides"
    )
    date = models.DateField(_("date"))
    start = models.TimeField(_("from"), null=True, blank=True)
    end = models.TimeField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["therapist", "date", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True) | Q(end__gt=F("start")),
                name="override_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.date}: {self.start or 'off'}-{self.end or ''}"


class TimeOff(models.Model):
    """A block of time a therapist is away (holiday, course, appointment of their own)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    therapist = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        ordering = ["therapist", "start"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="time_off_end_after_start")
        ]

    def __str__(self):
        return f"time off {self.start:%Y-%m-%d %H:%M}-{self.end:%Y-%m-%d %H:%M} UTC"


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered a slot")
    BOOKED = "booked", _("Booked")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class WaitlistEntry(models.Model):
    """A client waiting for a time to free up, first come first offered."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey("accounts.Practice", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="waitlist_entries")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="waitlist_entries")
    therapist = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    earliest = models.DateField(_("from"))
    latest = models.DateField(_("until"))
    status = models.CharField(max_length=20, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING)
    # The held appointment currently offered to this client, if any.
    offer = models.ForeignKey(Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Slots already offered and let go, so the same slot is not offered to the same client twice.
    declined = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "waitlist entries"

    def __str__(self):
        return f"{self.client} waiting for {self.service} ({self.status})"


class CalendarFeed(models.Model):
    """A secret, revocable address serving a therapist's calendar. Only a hash of the token is kept."""

    therapist = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"calendar feed of {self.therapist_id} ({'revoked' if self.revoked_at else 'live'})"
