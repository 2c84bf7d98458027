"""What the booking actions write and when they refuse: each audit entry read whole, the edges of a
waitlist hold, the checks a move makes, and the client's own time counting only where it overlaps."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import RequestFactory
from django_tasks import default_task_backend

from bodymap.audit.models import AuditEntry
from bodymap.booking import actions, tasks
from bodymap.booking.models import Appointment, AppointmentStatus, WaitlistEntry, WaitlistStatus
from tests.booking.conftest import at, next_weekday


def book(booking, start, client, therapist):
    appointment, _ = actions.book_appointment(
        practice=booking.practice, service=booking.service, therapist=therapist, start=start, client=client
    )
    return appointment


def wait(booking, client, day):
    return actions.join_waitlist(
        practice=booking.practice, service=booking.service, client=client, earliest=day, latest=day
    )


def whole(entry):
    """An audit entry as the log shows it, minus the parts set by the clock and the chain."""
    return {
        "practice": entry.practice_id,
        "actor": entry.actor_id,
        "action": entry.action,
        "subject_type": entry.subject_type,
        "subject": entry.subject_public_id,
        "ip": entry.ip_address,
        "details": entry.details,
    }


def offer(booking, start, *, client=None):
    cast = booking.cast
    entry = wait(booking, client or cast.other_client, start.date())
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
    held = actions.offer_slot(
        entry=entry, therapist=cast.therapist, start=start, actor=cast.owner, request=request
    )
    return entry, held


def test_it_records_an_offer_whole_and_holds_the_practices_minutes(booking):
    cast = booking.cast
    booking.rules.waitlist_hold_minutes = 95
    booking.rules.save()
    start = at(next_weekday(2), 10)
    with time_machine.travel(start - timedelta(days=3), tick=False):
        entry, held = offer(booking, start)
        now = start - timedelta(days=3)
    created = AuditEntry.objects.get(subject_public_id=held.public_id, action="create")
    assert whole(created) == {
        "practice": booking.practice.pk,
        "actor": cast.owner.user_id,
        "action": "create",
        "subject_type": "appointment",
        "subject": held.public_id,
        "ip": "203.0.113.7",
        "details": {"client": str(cast.other_client.public_id), "via": "waitlist offer"},
    }
    held.refresh_from_db()
    # The hold is the service's time and its turnover, for as long as the practice gives.
    assert (held.service, held.service_name, held.end, held.holds_until, held.hold_expires_at) == (
        booking.service,
        booking.service.name,
        start + timedelta(minutes=60),
        start + timedelta(minutes=75),
        now + timedelta(minutes=95),
    )
    entry.refresh_from_db()
    assert (entry.status, entry.offer) == (WaitlistStatus.OFFERED, held)


def test_it_emails_the_offer_link_on_the_requests_own_address(booking, django_capture_on_commit_callbacks):
    default_task_backend.results.clear()
    start = at(next_weekday(2), 10)
    with django_capture_on_commit_callbacks(execute=True):
        _, held = offer(booking, start)
    [message] = mail.outbox
    assert "http://testserver/book/offer/" in message.body
    # The hold is released by a task queued for the moment it runs out, for that appointment.
    [queued] = [r for r in default_task_backend.results if r.task.name == "expire_offer"]
    assert (queued.task.run_after, queued.args) == (held.hold_expires_at, [held.pk])


def test_it_holds_from_the_time_it_is_told_is_now(booking):
    """The freed-slot task passes its own `now`; the hold runs out from then, not from the clock."""
    cast = booking.cast
    start = at(next_weekday(2), 10)
    told = start - timedelta(days=2)
    entry = wait(booking, cast.other_client, start.date())
    held = actions.hold_for_waitlist(entry=entry, therapist=cast.therapist, start=start, now=told)
    assert held.hold_expires_at == told + timedelta(minutes=booking.rules.waitlist_hold_minutes)


def test_it_counts_the_new_holds_turnover_against_the_next_booking(booking):
    """A 60-minute hold at 10:00 keeps the room until 11:15: a booking at 11:10 refuses it."""
    cast = booking.cast
    day = next_weekday(2)
    book(booking, at(day, 11, 10), cast.booked_client, cast.therapist)
    entry = wait(booking, cast.other_client, day)
    with pytest.raises(actions.SlotTaken):
        actions.offer_slot(entry=entry, therapist=cast.therapist, start=at(day, 10), actor=cast.owner)
    assert actions.hold_for_waitlist(entry=entry, therapist=cast.therapist, start=at(day, 10)) is None


def test_it_records_an_acceptance_whole(booking):
    cast = booking.cast
    start = at(next_weekday(2), 10)
    entry, held = offer(booking, start)
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.4")
    accepted = actions.accept_offer(entry=entry, appointment=held, request=request)
    [change] = AuditEntry.objects.filter(subject_public_id=held.public_id, action="change")
    assert whole(change) == {
        "practice": booking.practice.pk,
        "actor": None,
        "action": "change",
        "subject_type": "appointment",
        "subject": held.public_id,
        "ip": "198.51.100.4",
        "details": {"fields": ["status"], "status": "booked", "via": "waitlist offer"},
    }
    accepted.refresh_from_db()
    assert (accepted.status, accepted.hold_expires_at, accepted.client) == (
        AppointmentStatus.BOOKED,
        None,
        cast.other_client,
    )
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistStatus.BOOKED


@pytest.mark.parametrize(("after", "taken"), [(-1, False), (0, True), (1, True)])
def test_it_refuses_an_offer_from_the_moment_its_hold_runs_out(booking, after, taken):
    """A hold that runs out at 14:00 can be taken at 13:59:59 but not at 14:00, even before the
    expiry task has released it."""
    start = at(next_weekday(2), 10)
    entry, held = offer(booking, start)
    with time_machine.travel(held.hold_expires_at + timedelta(seconds=after), tick=False):
        if taken:
            with pytest.raises(actions.SlotTaken):
                actions.accept_offer(entry=entry, appointment=held)
        else:
            actions.accept_offer(entry=entry, appointment=held)
    held.refresh_from_db()
    assert held.status == (AppointmentStatus.HELD if taken else AppointmentStatus.BOOKED)
    accepted = AuditEntry.objects.filter(subject_public_id=held.public_id, action="change").exists()
    assert accepted is not taken


def test_it_records_a_move_whole(booking):
    cast = booking.cast
    day = next_weekday(2)
    appointment = book(booking, at(day, 10), cast.client, cast.therapist)
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.9")
    actions.move_appointment(
        appointment=appointment,
        start=at(day, 18),
        therapist=cast.other_therapist,
        actor=cast.owner,
        request=request,
        outside_hours_reason="Evening visit agreed",
    )
    [change] = AuditEntry.objects.filter(subject_public_id=appointment.public_id, action="change")
    assert whole(change) == {
        "practice": booking.practice.pk,
        "actor": cast.owner.user_id,
        "action": "change",
        "subject_type": "appointment",
        "subject": appointment.public_id,
        "ip": "192.0.2.9",
        "details": {"fields": ["outside_hours_reason", "start", "therapist"], "via": "calendar"},
    }
    appointment.refresh_from_db()
    assert (appointment.start, appointment.therapist, appointment.outside_hours_reason) == (
        at(day, 18),
        cast.other_therapist,
        "Evening visit agreed",
    )


def test_it_moves_onto_part_of_its_own_time(booking):
    """Half an hour later overlaps only the appointment itself, which never blocks its own move,
    online or at the desk, with the client check on."""
    cast = booking.cast
    day = next_weekday(2)
    appointment = book(booking, at(day, 9), cast.client, cast.therapist)
    actions.move_appointment(appointment=appointment, start=at(day, 9, 30), check_client=True)
    appointment.refresh_from_db()
    actions.move_appointment(appointment=appointment, start=at(day, 10), online=True)
    appointment.refresh_from_db()
    assert (appointment.start, appointment.end) == (at(day, 10), at(day, 11))


def test_it_refuses_a_move_onto_the_therapists_other_booking(booking):
    cast = booking.cast
    day = next_weekday(2)
    book(booking, at(day, 14), cast.booked_client, cast.therapist)
    appointment = book(booking, at(day, 10), cast.client, cast.therapist)
    with pytest.raises(actions.SlotTaken):
        actions.move_appointment(appointment=appointment, start=at(day, 14, 30))
    appointment.refresh_from_db()
    assert appointment.start == at(day, 10)
    assert not AuditEntry.objects.filter(subject_public_id=appointment.public_id, action="change").exists()


def test_it_checks_the_client_elsewhere_only_when_asked(booking):
    """The desk may knowingly double-book a client (no check); the booking page may not."""
    cast = booking.cast
    day = next_weekday(2)
    book(booking, at(day, 14), cast.client, cast.other_therapist)
    appointment = book(booking, at(day, 10), cast.client, cast.therapist)
    with pytest.raises(actions.ClientBusy):
        actions.move_appointment(appointment=appointment, start=at(day, 14), check_client=True)
    appointment.refresh_from_db()
    assert appointment.start == at(day, 10)
    actions.move_appointment(appointment=appointment, start=at(day, 14))
    appointment.refresh_from_db()
    assert appointment.start == at(day, 14)


@pytest.mark.parametrize("start", [(12, 0), (17, 0), (8, 0)])
def test_it_refuses_an_online_move_outside_the_bookable_times(booking, start):
    """From the manage link, only a time the booking page would offer: not lunch, not after hours."""
    cast = booking.cast
    day = next_weekday(2)
    appointment = book(booking, at(day, 10), cast.client, cast.therapist)
    with pytest.raises(actions.NotBookable):
        actions.move_appointment(appointment=appointment, start=at(day, *start), online=True)
    appointment.refresh_from_db()
    assert appointment.start == at(day, 10)


def test_it_offers_the_time_a_move_frees_to_the_waitlist(booking, django_capture_on_commit_callbacks):
    cast = booking.cast
    day = next_weekday(2)
    appointment = book(booking, at(day, 10), cast.client, cast.therapist)
    entry = wait(booking, cast.other_client, day)
    default_task_backend.results.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.move_appointment(appointment=appointment, start=at(day, 14))
    [queued] = [r for r in default_task_backend.results if r.task.name == "offer_freed_slot"]
    held = Appointment.objects.get(public_id=tasks.offer_freed_slot.call(*queued.args))
    assert (held.client, held.start) == (cast.other_client, at(day, 10))
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistStatus.OFFERED


def test_it_counts_only_the_clients_overlapping_time_as_busy(booking):
    """10:00-11:00 (with a 15-minute turnover for the therapist) keeps the client busy from 10:00
    to 11:00 exactly: an appointment ending at 10:00 or starting at 11:00 only touches it."""
    cast = booking.cast
    day = next_weekday(2)
    appointment = book(booking, at(day, 10), cast.client, cast.therapist)
    busy = actions.client_is_busy
    assert not busy(cast.client, at(day, 9), at(day, 10))
    assert not busy(cast.client, at(day, 11), at(day, 12))
    assert busy(cast.client, at(day, 9, 1), at(day, 10, 1))
    assert busy(cast.client, at(day, 10, 59), at(day, 11, 59))
    assert not busy(cast.client, at(day, 10), at(day, 11), ignore=appointment)
    assert not busy(cast.other_client, at(day, 10), at(day, 11))


def test_it_keeps_a_client_busy_with_a_hold_until_it_runs_out(booking):
    """Whether a hold still counts is judged at the `now` asked about, not at the clock."""
    cast = booking.cast
    start = at(next_weekday(2), 10)
    _, held = offer(booking, start)
    end = start + timedelta(hours=1)
    last_second = held.hold_expires_at - timedelta(seconds=1)
    assert actions.client_is_busy(cast.other_client, start, end, now=last_second)
    assert not actions.client_is_busy(cast.other_client, start, end, now=held.hold_expires_at)


class FailingMessage:
    to = ["sam@example.com"]

    def send(self):
        raise OSError("mail server down")


def test_it_logs_a_failed_email_with_its_address_and_carries_on(caplog):
    with caplog.at_level(logging.ERROR, logger=actions.logger.name):
        actions._send(FailingMessage())
    [logged] = caplog.records
    assert logged.getMessage() == "booking email to ['sam@example.com'] failed"
    assert logged.exc_info[0] is OSError
