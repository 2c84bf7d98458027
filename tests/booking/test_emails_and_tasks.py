"""The confirmation email and its .ics, reminders, and the waitlist offered a freed slot."""

from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.utils import timezone
from django_tasks import default_task_backend
from icalendar import Calendar

from bodymap.booking import actions, tasks
from bodymap.booking.models import Appointment, AppointmentStatus, WaitlistEntry, WaitlistStatus
from tests.booking.conftest import at, next_weekday


def book(booking, start, client=None, therapist=None):
    appointment, _ = actions.book_appointment(
        practice=booking.practice,
        service=booking.service,
        therapist=therapist or booking.cast.therapist,
        start=start,
        client=client or booking.cast.client,
    )
    return appointment


def test_it_emails_a_confirmation_with_an_ics_and_the_intake_link(
    booking, django_capture_on_commit_callbacks
):
    start = at(next_weekday(2), 10)
    with django_capture_on_commit_callbacks(execute=True):
        response = HttpClient().post(
            "/api/v1/bookings",
            {
                "service": "massage-60",
                "therapist": "terry",
                "start": start.isoformat(),
                "client": {"name": "Alex Morgan", "email": "alex@example.com"},
            },
            content_type="application/json",
        )
    assert response.status_code == 201
    [message] = mail.outbox
    assert message.to == ["alex@example.com"]
    assert "is booked" in message.subject
    assert "Toronto time" in message.body and "America/Toronto" not in message.body
    assert "10:00–11:00" in message.body
    assert "http://testserver/intake/" in message.body
    assert response.json()["manage_url"] in message.body
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == ("appointment.ics", "text/calendar")
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert event.decoded("dtstart") == start and event.decoded("dtend") == start + timedelta(hours=1)
    assert "Massage therapy, 60 minutes" in str(event["summary"])


def test_it_queues_a_reminder_for_the_set_number_of_hours_before(booking, django_capture_on_commit_callbacks):
    default_task_backend.results.clear()
    start = at(next_weekday(2), 10)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(booking, start)
    [queued] = [r for r in default_task_backend.results if r.task.name == "send_reminder"]
    assert queued.task.run_after == start - timedelta(hours=24)
    assert queued.args == [appointment.pk, appointment.start.isoformat()]


def test_it_sends_a_reminder_with_the_intake_link_once(booking, django_capture_on_commit_callbacks):
    appointment = book(booking, at(next_weekday(2), 10))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminder.call(appointment.pk, appointment.start.isoformat()) is True
        assert tasks.send_reminder.call(appointment.pk, appointment.start.isoformat()) is False
    [message] = mail.outbox
    assert message.subject.startswith("Reminder:")
    assert "intake form" in message.body and "http://127.0.0.1:8000/intake/" in message.body


def test_it_sends_no_reminder_for_a_moved_or_cancelled_appointment(
    booking, django_capture_on_commit_callbacks
):
    appointment = book(booking, at(next_weekday(2), 10))
    old_start = appointment.start.isoformat()
    actions.move_appointment(appointment=appointment, start=at(next_weekday(2), 14))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminder.call(appointment.pk, old_start) is False
        actions.cancel_appointment(appointment=appointment, notify=False)
        assert tasks.send_reminder.call(appointment.pk, appointment.start.isoformat()) is False
    assert mail.outbox == []


@pytest.fixture
def waitlist(booking):
    cast = booking.cast
    day = next_weekday(2)
    taken = book(booking, at(day, 10), client=cast.booked_client)
    first = actions.join_waitlist(
        practice=cast.practice, service=booking.service, client=cast.client, earliest=day, latest=day
    )
    second = actions.join_waitlist(
        practice=cast.practice, service=booking.service, client=cast.other_client, earliest=day, latest=day
    )
    return taken, first, second


def test_it_offers_a_freed_slot_to_the_first_waiting_client(
    booking, waitlist, django_capture_on_commit_callbacks
):
    taken, first, second = waitlist
    default_task_backend.results.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_appointment(appointment=taken, notify=False)
    [queued] = [r for r in default_task_backend.results if r.task.name == "offer_freed_slot"]
    mail.outbox.clear()
    held_id = tasks.offer_freed_slot.call(*queued.args)
    held = Appointment.objects.get(public_id=held_id)
    assert (held.status, held.client, held.start) == (AppointmentStatus.HELD, first.client, taken.start)
    first.refresh_from_db()
    assert first.status == WaitlistStatus.OFFERED
    [offer] = mail.outbox
    assert offer.to == [first.client.email] and "holding it for you" in offer.body
    # The held slot is not free to anyone else.
    response = HttpClient().post(
        "/api/v1/bookings",
        {
            "service": "massage-60",
            "therapist": "terry",
            "start": taken.start.isoformat(),
            "client": {"name": "X Y", "email": "x@example.com"},
        },
        content_type="application/json",
    )
    assert response.status_code == 409
    # The client takes it through the link.
    link = offer.body.split("http://127.0.0.1:8000", 1)[1].split()[0]
    http = HttpClient()
    assert "A time has opened up for you" in http.get(link).content.decode()
    assert http.post(link).status_code == 302
    held.refresh_from_db()
    first.refresh_from_db()
    assert held.status == AppointmentStatus.BOOKED and first.status == WaitlistStatus.BOOKED


def test_it_offers_the_slot_to_the_next_client_when_a_hold_runs_out(booking, waitlist):
    taken, first, second = waitlist
    actions.cancel_appointment(appointment=taken, notify=False)
    held = Appointment.objects.get(
        public_id=tasks.offer_freed_slot.call(
            booking.cast.therapist.pk, taken.start.isoformat(), taken.blocked_until.isoformat()
        )
    )
    Appointment.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))
    assert tasks.expire_offer.call(held.pk) is True
    held.refresh_from_db()
    assert held.status == AppointmentStatus.CANCELLED
    next_held = Appointment.objects.get(
        public_id=tasks.offer_freed_slot.call(
            booking.cast.therapist.pk, taken.start.isoformat(), taken.blocked_until.isoformat()
        )
    )
    assert next_held.client == second.client
    first.refresh_from_db()
    assert (
        first.status == WaitlistStatus.WAITING and taken.start.astimezone(UTC).isoformat() in first.declined
    )


def test_it_lets_an_expired_hold_be_booked_by_anyone(booking, waitlist):
    taken, first, _second = waitlist
    actions.cancel_appointment(appointment=taken, notify=False)
    held = Appointment.objects.get(
        public_id=tasks.offer_freed_slot.call(
            booking.cast.therapist.pk, taken.start.isoformat(), taken.blocked_until.isoformat()
        )
    )
    Appointment.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    again = book(booking, taken.start, client=booking.cast.booked_client)
    assert again.status == AppointmentStatus.BOOKED
    held.refresh_from_db()
    assert held.status == AppointmentStatus.CANCELLED
    assert WaitlistEntry.objects.filter(pk=first.pk, status=WaitlistStatus.OFFERED).exists()
