"""The demo practice's booking side: services, hours, time off, a waitlist, and online bookings
filling the month ahead. Called at the end of bodymap.demo.practice.load()."""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from bodymap.accounts.models import Membership
from bodymap.booking.availability import free_slots
from bodymap.booking.models import (
    Appointment,
    AppointmentStatus,
    BookingSettings,
    DayOverride,
    Service,
    TherapistProfile,
    TimeOff,
    WaitlistEntry,
    WorkingHours,
)
from bodymap.clients.models import Client

# (name, slug, minutes, buffer after, price). The names match the demo's existing appointments.
SERVICES = [
    ("Massage therapy, 60 minutes", "massage-60", 60, 15, Decimal("110.00")),
    ("Massage therapy, 90 minutes", "massage-90", 90, 15, Decimal("155.00")),
    ("Massage therapy, 30 minutes", "massage-30", 30, 10, Decimal("65.00")),
]
# Weekday → (from, until, break from, break until), in the practice's local time.
HOURS = {
    "maya": {d: (time(9), time(19), time(13, 30), time(14)) for d in range(5)}
    | {5: (time(10), time(15), None, None)},
    "daniel": {d: (time(9), time(19), time(13, 30), time(14)) for d in range(1, 6)},
}


def hours_of(therapist) -> dict:
    return HOURS.get(therapist.user.full_name.split()[0].lower(), HOURS["maya"])


def fits(hours: dict, day, start: time, minutes: int) -> bool:
    """Whether `minutes` from `start` on `day` lie inside these working hours, clear of the break."""
    if day.weekday() not in hours:
        return False
    opens, closes, break_start, break_end = hours[day.weekday()]
    end = (datetime.combine(day, start) + timedelta(minutes=minutes)).time()
    if not (opens <= start and end <= closes):
        return False
    return break_start is None or end <= break_start or break_end <= start


def load(practice, today, seed=2026):
    rng = random.Random(seed)  # noqa: S311 - reproducible fiction, not security
    tz = ZoneInfo(practice.timezone)
    BookingSettings.objects.create(practice=practice)
    therapists = list(Membership.objects.therapists().filter(practice=practice).select_related("user"))
    for member in therapists:
        slug = member.user.full_name.split()[0].lower()
        TherapistProfile.objects.create(membership=member, practice=practice, slug=slug)
        for weekday, (start, end, break_start, break_end) in hours_of(member).items():
            WorkingHours.objects.create(
                therapist=member,
                weekday=weekday,
                start=start,
                end=end,
                break_start=break_start,
                break_end=break_end,
            )
    services = []
    for position, (name, slug, minutes, buffer, price) in enumerate(SERVICES):
        service = Service.objects.create(
            practice=practice,
            name=name,
            slug=slug,
            minutes=minutes,
            buffer_after_minutes=buffer,
            price=price,
            position=position,
        )
        service.therapists.set(therapists)
        services.append(service)
        Appointment.objects.filter(practice=practice, service_name=name).update(service=service)

    # Time off: Daniel at a course one afternoon, and a day off the week after (a one-off change).
    daniel = therapists[-1]
    course_day = today + timedelta(days=(8 - today.weekday()) % 7 + 1)  # a Tuesday ahead
    course = (
        datetime.combine(course_day, time(14), tzinfo=tz),
        datetime.combine(course_day, time(19), tzinfo=tz),
    )
    TimeOff.objects.create(therapist=daniel, start=course[0], end=course[1], reason="Course")
    DayOverride.objects.create(therapist=daniel, date=course_day + timedelta(days=9))
    # The demo diary was drawn before the time off: those clients were moved (cancelled here).
    clashing = Appointment.objects.filter(therapist=daniel).holding_time().between(*course)
    day_off = (
        Appointment.objects.filter(therapist=daniel)
        .holding_time()
        .between(
            datetime.combine(course_day + timedelta(days=9), time.min, tzinfo=tz),
            datetime.combine(course_day + timedelta(days=10), time.min, tzinfo=tz),
        )
    )
    for qs in (clashing, day_off):
        qs.update(status=AppointmentStatus.CANCELLED, cancelled_at=timezone.now())

    clients = list(Client.objects.filter(practice=practice).order_by("id"))
    _book_the_month_ahead(practice, services, therapists, clients, today, rng)

    for client, service, days in (
        (clients[3], services[0], 7),
        (clients[9], services[1], 14),
        (clients[15], services[0], 21),
    ):
        WaitlistEntry.objects.create(
            practice=practice,
            client=client,
            service=service,
            therapist=None if client != clients[9] else therapists[0],
            earliest=today,
            latest=today + timedelta(days=days),
        )


def _book_the_month_ahead(practice, services, therapists, clients, today, rng):
    """Online bookings from two weeks to a month ahead, taken from the real availability."""
    first, last = today + timedelta(days=15), today + timedelta(days=30)
    rows, taken = [], {t.pk: [] for t in therapists}
    for service in services:
        for slot in free_slots(practice, service, first, last, online=False):
            if rng.random() > 0.12:
                continue
            holds_until = slot.end + service.buffer
            if any(s < holds_until and slot.start < e for s, e in taken[slot.therapist.pk]):
                continue
            taken[slot.therapist.pk].append((slot.start, holds_until))
            rows.append(
                Appointment(
                    practice=practice,
                    client=rng.choice(clients),
                    therapist=slot.therapist,
                    service=service,
                    service_name=service.name,
                    start=slot.start,
                    end=slot.end,
                    holds_until=holds_until,
                    booked_online=True,
                )
            )
    Appointment.objects.bulk_create(rows)
