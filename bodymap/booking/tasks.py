"""Background work: reminders and the waitlist. Run by `bodymap db_worker` (started by `make run`).

Each task looks at the database again when it runs, so a booking moved or cancelled after the task
was queued is handled correctly: the stale task finds nothing to do.
"""

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from bodymap.accounts.models import Membership
from bodymap.booking import actions, emails
from bodymap.booking.availability import free_slots
from bodymap.booking.links import absolute, offer_path
from bodymap.booking.models import Appointment, AppointmentStatus, WaitlistEntry, WaitlistStatus

logger = logging.getLogger(__name__)


def enqueue_reminder(appointment: Appointment, when: datetime):
    send_reminder.using(run_after=when).enqueue(appointment.pk, appointment.start.isoformat())


def enqueue_offer(therapist_id: int, start: datetime, end: datetime):
    offer_freed_slot.enqueue(therapist_id, start.isoformat(), end.isoformat())


@task()
def send_reminder(appointment_id: int, start: str) -> bool:
    """Remind the client; the intake link comes along while their intake is missing."""
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("practice", "client", "therapist__user", "service")
            .filter(pk=appointment_id)
            .first()
        )
        if (
            appointment is None
            or appointment.status != AppointmentStatus.BOOKED
            or appointment.start != datetime.fromisoformat(start)  # moved since: its own reminder is queued
            or appointment.reminder_sent_at is not None
            or appointment.start <= timezone.now()
            or not appointment.client.email
        ):
            return False
        appointment.reminder_sent_at = timezone.now()
        appointment.save(update_fields=["reminder_sent_at"])
        message = emails.reminder(appointment)
        transaction.on_commit(lambda: actions._send(message))
    return True


def _first_fit(entry: WaitlistEntry, therapist: Membership, start: datetime, end: datetime):
    """The earliest slot for the entry's service that fits inside the freed time (turnover included),
    on a day the client wants, not one they have let go before, and not while they are booked
    elsewhere."""
    practice = entry.practice
    tz = ZoneInfo(practice.timezone)
    day = start.astimezone(tz).date()
    if not entry.earliest <= day <= entry.latest:
        return None
    for slot in free_slots(practice, entry.service, day, day, therapist=therapist, online=False):
        fits = slot.start >= start and slot.end + entry.service.buffer <= end
        if (
            fits
            and slot.start.isoformat() not in entry.declined
            and not actions.client_is_busy(entry.client, slot.start, slot.end)
        ):
            return slot
    return None


@task()
def offer_freed_slot(therapist_id: int, start: str, end: str) -> str | None:
    """Offer a freed time to the first waiting client it suits, holding it for them for a while."""
    therapist = Membership.objects.select_related("practice").filter(pk=therapist_id).first()
    start_at, end_at = datetime.fromisoformat(start), datetime.fromisoformat(end)
    if therapist is None or start_at <= timezone.now():
        return None
    waiting = (
        WaitlistEntry.objects.filter(practice=therapist.practice, status=WaitlistStatus.WAITING)
        .filter(Q(therapist__isnull=True, service__therapists=therapist) | Q(therapist=therapist))
        .filter(service__is_active=True)
        .select_related("practice", "client", "service")
        .distinct()
        .order_by("created_at", "id")
    )
    for entry in waiting:
        slot = _first_fit(entry, therapist, start_at, end_at)
        if slot is None:
            continue
        held = actions.hold_for_waitlist(entry=entry, therapist=therapist, start=slot.start)
        if held is None:
            return None  # someone booked it first
        held = Appointment.objects.select_related("practice", "client", "therapist__user").get(pk=held.pk)
        actions._send(emails.waitlist_offer(held, absolute(offer_path(entry, held))))
        expire_offer.using(run_after=held.hold_expires_at).enqueue(held.pk)
        return str(held.public_id)
    return None


@task()
def expire_offer(appointment_id: int) -> bool:
    """The hold ran out without an answer: free the slot and offer it to the next in line."""
    appointment = Appointment.objects.filter(pk=appointment_id, status=AppointmentStatus.HELD).first()
    if appointment is None or appointment.hold_expires_at > timezone.now():
        return False
    return actions.release_hold(appointment=appointment)
