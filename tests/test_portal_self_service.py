"""Self-service in the portal: move, cancel and book again within the change window, with a
confirmation; a family sharing one account; and who may do what."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from bodymap.audit.models import AuditEntry
from bodymap.booking import actions
from bodymap.booking.models import Appointment, AppointmentStatus
from bodymap.clients.models import Client
from bodymap.consent.models import ConsentRecord
from tests.booking.conftest import _booking_settings, at, make_bookable, next_weekday  # noqa: F401
from tests.intake.helpers import fill_intake


@pytest.fixture
def booking(cast):
    return make_bookable(cast)


def book(booking, start, client=None, therapist=None):
    appointment, _ = actions.book_appointment(
        practice=booking.practice,
        service=booking.service,
        therapist=therapist or booking.cast.therapist,
        start=start,
        client=client or booking.cast.client,
    )
    return appointment


def family_member(cast, first, born):
    """Another client record with the account's address, as a parent books for their family."""
    return Client.objects.create(
        practice=cast.practice,
        first_name=first,
        last_name="Rivera",
        email=cast.client.email,
        user=cast.client.user,
        date_of_birth=born,
    )


def test_it_moves_a_booking_after_a_confirmation(as_role, booking):
    appointment = book(booking, at(next_weekday(2), 10))
    http = as_role("client")
    home = http.get(reverse("portal:home")).content.decode()
    assert reverse("portal:appointment", args=[appointment.public_id]) in home
    choose = http.get(reverse("portal:move", args=[appointment.public_id])).content.decode()
    new_start = at(next_weekday(2), 14)
    assert ">14:00</a>" in choose
    confirm = http.get(reverse("portal:move", args=[appointment.public_id]), {"start": new_start.isoformat()})
    assert "Yes, move it" in confirm.content.decode()
    appointment.refresh_from_db()
    assert appointment.start == at(next_weekday(2), 10)  # looking at the confirmation changes nothing
    response = http.post(
        reverse("portal:move", args=[appointment.public_id]), {"start": new_start.isoformat()}
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.start == new_start
    assert AuditEntry.objects.filter(
        subject_public_id=appointment.public_id, details__via="portal", details__fields=["start"]
    ).exists()


def test_it_refuses_to_move_another_clients_booking(as_role, booking):
    """The POST that moves Sam's booking for Sam finds nothing for Elena, and changes nothing."""
    appointment = book(booking, at(next_weekday(2), 10))
    new_start = at(next_weekday(2), 14)
    url = reverse("portal:move", args=[appointment.public_id])
    assert as_role("other_client").post(url, {"start": new_start.isoformat()}).status_code == 404
    assert (
        as_role("other_client").post(reverse("portal:cancel", args=[appointment.public_id])).status_code
        == 404
    )
    appointment.refresh_from_db()
    assert appointment.start == at(next_weekday(2), 10) and appointment.status == AppointmentStatus.BOOKED
    assert as_role("client").post(url, {"start": new_start.isoformat()}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.start == new_start


def test_it_keeps_a_booking_inside_the_change_window(as_role, booking):
    booking.rules.cancellation_window_hours = 24 * 30
    booking.rules.save()
    booking.practice.phone = "416-555-0100"
    booking.practice.save()
    appointment = book(booking, at(next_weekday(2), 10))
    http = as_role("client")
    page = http.get(reverse("portal:appointment", args=[appointment.public_id])).content.decode()
    assert 'href="tel:416-555-0100"' in page
    http.post(
        reverse("portal:move", args=[appointment.public_id]), {"start": at(next_weekday(2), 14).isoformat()}
    )
    http.post(reverse("portal:cancel", args=[appointment.public_id]))
    appointment.refresh_from_db()
    assert appointment.start == at(next_weekday(2), 10) and appointment.status == AppointmentStatus.BOOKED


def test_it_cancels_after_a_confirmation(as_role, booking):
    appointment = book(booking, at(next_weekday(2), 10))
    http = as_role("client")
    assert (
        "Yes, cancel it" in http.get(reverse("portal:cancel", args=[appointment.public_id])).content.decode()
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    assert http.post(reverse("portal:cancel", args=[appointment.public_id])).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def test_it_books_again_with_the_same_service_and_therapist(as_role, booking):
    previous = book(booking, at(next_weekday(2), 10))
    http = as_role("client")
    page = http.get(reverse("portal:book_again", args=[previous.public_id])).content.decode()
    assert "Massage therapy, 60 minutes" in page and "Bookings can be moved or cancelled online" in page
    start = at(next_weekday(3), 10)
    assert (
        http.post(
            reverse("portal:book_again", args=[previous.public_id]), {"start": start.isoformat()}
        ).status_code
        == 302
    )
    again = Appointment.objects.get(client=booking.cast.client, start=start)
    assert (again.service, again.therapist) == (booking.service, booking.cast.therapist)


def test_it_never_books_a_client_on_two_tables_at_once(as_role, booking):
    previous = book(booking, at(next_weekday(2), 10))
    with_olive = at(next_weekday(3), 10)
    book(booking, with_olive, therapist=booking.cast.other_therapist)
    response = as_role("client").post(
        reverse("portal:book_again", args=[previous.public_id]), {"start": with_olive.isoformat()}
    )
    assert "There is already a booking at that time" in response.content.decode()
    assert not Appointment.objects.filter(therapist=booking.cast.therapist, start=with_olive).exists()


def test_it_shows_the_change_window_before_booking_online(client, booking):
    day = next_weekday(2)
    page = client.get(
        f"/book/breathe/massage-60/terry/details/?start={at(day, 10).isoformat()}".replace("+", "%2B")
    )
    assert "You can move or cancel this booking online until" in page.content.decode()
    booking.rules.cancellation_window_hours = 24 * 30
    booking.rules.save()
    page = client.get(
        f"/book/breathe/massage-60/terry/details/?start={at(day, 10).isoformat()}".replace("+", "%2B")
    )
    assert "once booked, it cannot be moved or cancelled online" in page.content.decode()


def test_it_answers_taken_to_anyone_who_lost_the_slot_on_the_booking_page(client, booking):
    from bodymap.booking.models import DayOverride

    day = next_weekday(2)
    DayOverride.objects.create(therapist=booking.cast.therapist, date=day)
    book(booking, at(day, 10), therapist=booking.cast.other_therapist)
    response = client.post(
        "/book/breathe/massage-60/any/details/",
        {"start": at(day, 10).isoformat(), "key": "k1", "name": "B B", "email": "b@example.com"},
        follow=True,
    )
    assert "that time was just taken" in response.content.decode()


def test_a_family_account_books_for_each_member(as_role, booking):
    child = family_member(booking.cast, "Riley", date(timezone.localdate().year - 10, 1, 1))
    http = as_role("client")
    home = http.get(reverse("portal:home")).content.decode()
    assert "Riley Rivera" in home and "Sam Rivera" in home
    http.post(reverse("portal:choose_member"), {"client": child.public_id})
    home = http.get(reverse("portal:home")).content.decode()
    assert re.search(r"Hello, Riley", home)
    previous = book(booking, at(next_weekday(2), 10), client=child)
    start = at(next_weekday(3), 10)
    http.post(reverse("portal:book_again", args=[previous.public_id]), {"start": start.isoformat()})
    assert Appointment.objects.filter(client=child, start=start).exists()


def test_a_family_account_cannot_choose_someone_outside_it(as_role, booking):
    http = as_role("client")
    assert (
        http.post(
            reverse("portal:choose_member"), {"client": booking.cast.other_client.public_id}
        ).status_code
        == 404
    )
    assert "Hello, Sam" in http.get(reverse("portal:home")).content.decode()


def test_an_adult_family_member_signs_their_own_consent(as_role, booking, client):
    adult = family_member(booking.cast, "Jordan", date(1990, 3, 3))
    fill_intake(client, adult, consent={"gluteal": "declined"})
    before = ConsentRecord.objects.count()
    http = as_role("client")
    http.post(reverse("portal:choose_member"), {"client": adult.public_id})
    url = reverse("portal:change_consent", args=["gluteal"])
    # What Jordan would send for themselves, sent by Sam on the shared account.
    response = http.post(url, {"decision": "granted", "signature": "Jordan Rivera"})
    assert response.status_code == 403
    assert http.post(reverse("portal:withdraw", args=["gluteal"])).status_code == 403
    assert http.get(reverse("portal:intake")).status_code == 403
    assert http.get(reverse("portal:progress")).status_code == 403
    assert ConsentRecord.objects.count() == before


def test_a_parent_signs_a_childs_consent_as_guardian(as_role, booking, client):
    child = family_member(booking.cast, "Riley", None)
    fill_intake(client, child, consent={"gluteal": "declined"})
    # Consent on file, given before the record knew Riley's age (a child's intake asks more).
    child.date_of_birth = date(timezone.localdate().year - 10, 1, 1)
    child.save(update_fields=["date_of_birth"])
    http = as_role("client")
    http.post(reverse("portal:choose_member"), {"client": child.public_id})
    url = reverse("portal:change_consent", args=["gluteal"])
    http.post(url, {"decision": "granted", "signature": "Sam Rivera", "guardian_present": "on"})
    latest = ConsentRecord.objects.filter(client=child, region="gluteal").latest("given_at", "id")
    assert latest.decision == "granted" and latest.guardian_name == "Sam Rivera"
