"""The waitlist: joining from the booking page and the portal, the desk's list, offers and removal,
and offers that never clash with the client's other bookings."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bodymap.audit.models import AuditEntry
from bodymap.booking import actions, tasks
from bodymap.booking.models import Appointment, AppointmentStatus, WaitlistEntry, WaitlistStatus
from tests.booking.conftest import at, next_weekday


def book(booking, start, client, therapist):
    appointment, _ = actions.book_appointment(
        practice=booking.practice, service=booking.service, therapist=therapist, start=start, client=client
    )
    return appointment


def wait(booking, client, day, therapist=None):
    return actions.join_waitlist(
        practice=booking.practice,
        service=booking.service,
        client=client,
        earliest=day,
        latest=day,
        therapist=therapist,
    )


def test_it_never_offers_a_time_the_client_is_booked_elsewhere(booking):
    """Held 10:00 with Terry while booked 10:30 with Olive must not happen: the slot goes to the
    next in line instead."""
    cast = booking.cast
    day = next_weekday(2)
    freed = book(booking, at(day, 10), cast.booked_client, cast.therapist)
    book(booking, at(day, 10, 30), cast.client, cast.other_therapist)
    busy_entry = wait(booking, cast.client, day)
    next_entry = wait(booking, cast.other_client, day)
    actions.cancel_appointment(appointment=freed, notify=False)
    held = Appointment.objects.get(
        public_id=tasks.offer_freed_slot.call(
            cast.therapist.pk, freed.start.isoformat(), freed.blocked_until.isoformat()
        )
    )
    assert held.client == cast.other_client
    busy_entry.refresh_from_db()
    next_entry.refresh_from_db()
    assert (busy_entry.status, next_entry.status) == (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


def test_it_refuses_a_hold_that_clashes_inside_the_lock(booking):
    cast = booking.cast
    day = next_weekday(2)
    book(booking, at(day, 10, 30), cast.client, cast.other_therapist)
    entry = wait(booking, cast.client, day)
    assert actions.hold_for_waitlist(entry=entry, therapist=cast.therapist, start=at(day, 10)) is None
    with pytest.raises(actions.ClientBusy):
        actions.offer_slot(entry=entry, therapist=cast.therapist, start=at(day, 10), actor=cast.owner)
    assert not Appointment.objects.filter(client=cast.client, status=AppointmentStatus.HELD).exists()


def test_it_lets_a_booker_join_the_waitlist_from_the_booking_page(client, booking):
    day = next_weekday(2)
    times = client.get("/book/breathe/massage-60/terry/").content.decode()
    assert "/book/breathe/massage-60/terry/waitlist/" in times
    response = client.post(
        "/book/breathe/massage-60/terry/waitlist/",
        {"name": "Alex Morgan", "email": "alex@example.com", "earliest": day, "latest": day},
    )
    assert response.status_code == 200 and "You are on the waitlist" in response.content.decode()
    entry = WaitlistEntry.objects.get(client__email="alex@example.com")
    assert (entry.therapist, entry.service, entry.earliest) == (booking.cast.therapist, booking.service, day)
    # Like an online booking, a typed email never attaches the request to whoever has it on file.
    assert entry.client != booking.cast.client


def test_it_refuses_waitlist_days_in_the_past(client, booking):
    yesterday = timezone.localdate() - timedelta(days=2)
    response = client.post(
        "/book/breathe/massage-60/any/waitlist/",
        {"name": "Alex Morgan", "email": "alex@example.com", "earliest": yesterday, "latest": yesterday},
    )
    assert "Choose today or a later day." in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_it_lets_front_desk_add_offer_and_remove(as_role, booking, django_capture_on_commit_callbacks):
    cast = booking.cast
    day = next_weekday(2)
    desk = as_role("front_desk")
    response = desk.post(
        reverse("waitlist:add"),
        {
            "client": cast.other_client.public_id,
            "service": booking.service.public_id,
            "therapist": "",
            "earliest": day,
            "latest": day,
        },
    )
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get(client=cast.other_client)
    listing = desk.get(reverse("waitlist:list")).content.decode()
    assert "Elena" in listing
    offer_page = desk.get(reverse("waitlist:offer", args=[entry.public_id])).content.decode()
    assert "10:00" in offer_page
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            reverse("waitlist:offer", args=[entry.public_id]),
            {"start": at(day, 10).isoformat(), "therapist": cast.therapist.public_id},
        )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED and entry.offer.start == at(day, 10)
    [offer] = mail.outbox
    assert offer.to == [cast.other_client.email] and "/book/offer/" in offer.body
    held = entry.offer
    assert desk.post(reverse("waitlist:remove", args=[entry.public_id])).status_code == 302
    entry.refresh_from_db()
    held.refresh_from_db()
    assert entry.status == WaitlistStatus.WITHDRAWN and held.status == AppointmentStatus.CANCELLED
    assert AuditEntry.objects.filter(subject_public_id=entry.public_id, details__status="withdrawn").exists()


def test_it_keeps_a_therapist_to_their_own_clients_waitlist(as_role, booking):
    cast = booking.cast
    day = next_weekday(2)
    theirs = wait(booking, cast.client, day)  # assigned to `therapist`
    others = wait(booking, cast.other_client, day)
    listing = as_role("therapist").get(reverse("waitlist:list")).content.decode()
    assert "Sam" in listing and "Elena" not in listing
    # The removal that works on their own client's entry finds nothing for another's.
    http = as_role("therapist")
    assert http.post(reverse("waitlist:remove", args=[others.public_id])).status_code == 404
    others.refresh_from_db()
    assert others.status == WaitlistStatus.WAITING
    assert http.post(reverse("waitlist:remove", args=[theirs.public_id])).status_code == 302


def test_it_lets_a_therapist_offer_only_in_their_own_diary(as_role, booking):
    cast = booking.cast
    day = next_weekday(2)
    entry = wait(booking, cast.client, day)
    response = as_role("therapist").post(
        reverse("waitlist:offer", args=[entry.public_id]),
        {"start": at(day, 10).isoformat(), "therapist": cast.other_therapist.public_id},
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WAITING
    assert not Appointment.objects.filter(status=AppointmentStatus.HELD).exists()


def test_it_refuses_a_portal_client_leaving_another_clients_waitlist(as_role, booking):
    day = next_weekday(2)
    others = wait(booking, booking.cast.other_client, day)
    own = wait(booking, booking.cast.client, day)
    http = as_role("client")
    assert http.post(reverse("portal:waitlist_leave", args=[others.public_id])).status_code == 404
    others.refresh_from_db()
    assert others.status == WaitlistStatus.WAITING
    assert http.post(reverse("portal:waitlist_leave", args=[own.public_id])).status_code == 302
    own.refresh_from_db()
    assert own.status == WaitlistStatus.WITHDRAWN


def test_it_lets_a_portal_client_join_the_waitlist(as_role, booking):
    day = next_weekday(2)
    response = as_role("client").post(
        reverse("portal:waitlist"),
        {"service": booking.service.public_id, "therapist": "", "earliest": day, "latest": day},
    )
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get()
    assert entry.client == booking.cast.client and entry.therapist is None
    assert AuditEntry.objects.filter(subject_public_id=entry.public_id, details__via="portal").exists()
