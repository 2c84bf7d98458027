"""The public booking page, step by step, and the client's manage link."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from bodymap.booking import actions
from bodymap.booking.links import appointment_for_manage_token, manage_token
from bodymap.booking.models import Appointment, AppointmentStatus
from tests.booking.conftest import at, next_weekday


def test_it_walks_from_service_to_confirmation(client, booking, django_capture_on_commit_callbacks):
    services = client.get("/book/breathe/").content.decode()
    assert "Massage therapy, 60 minutes" in services and "110.00" in services
    therapists = client.get("/book/breathe/massage-60/").content.decode()
    assert "Anyone available" in therapists and "Therapist" in therapists
    day = next_weekday(2)
    times = client.get(
        "/book/breathe/massage-60/terry/", {"from": str(day), "day": str(day)}
    ).content.decode()
    assert "Times are Toronto time" in times
    link = re.search(r'href="(/book/breathe/massage-60/terry/details/\?start=[^"]+)"', times).group(1)
    details = client.get(link.replace("&amp;", "&"))
    assert "09:00–10:00" in details.content.decode()
    start = at(day, 9)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            link.replace("&amp;", "&"),
            {"start": start.isoformat(), "key": "abc", "name": "Alex Morgan", "email": "alex@example.com"},
        )
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    assert "You are booked" in done and "alex@example.com" in done
    assert Appointment.objects.get(client__email="alex@example.com").start == start
    assert len(mail.outbox) == 1


def test_it_books_once_when_the_form_is_sent_twice(client, booking):
    start = at(next_weekday(2), 9)
    url = "/book/breathe/massage-60/any/details/"
    form = {
        "start": start.isoformat(),
        "key": "same-visit",
        "name": "Alex Morgan",
        "email": "alex@example.com",
    }
    first, second = client.post(url, form), client.post(url, form)
    # Both lead to the one booking (each link is signed when made, so they may differ in time).
    [one, two] = [appointment_for_manage_token(r["Location"].split("/")[-2]) for r in (first, second)]
    assert one is not None and one == two
    assert Appointment.objects.filter(client__email="alex@example.com").count() == 1


def test_it_keeps_what_was_typed_when_a_field_is_wrong(client, booking):
    start = at(next_weekday(2), 9)
    response = client.post(
        "/book/breathe/massage-60/terry/details/",
        {"start": start.isoformat(), "key": "k", "name": "Alex Morgan", "email": "alex@"},
    )
    page = response.content.decode()
    assert "Enter a valid email address." in page and 'value="Alex Morgan"' in page
    assert not Appointment.objects.filter(booked_online=True).exists()


def test_it_sends_a_taken_time_back_to_the_times(client, booking):
    start = at(next_weekday(2), 9)
    actions.book_appointment(
        practice=booking.practice,
        service=booking.service,
        therapist=booking.cast.therapist,
        start=start,
        client=booking.cast.client,
    )
    response = client.post(
        "/book/breathe/massage-60/terry/details/",
        {"start": start.isoformat(), "key": "k", "name": "Alex Morgan", "email": "alex@example.com"},
        follow=True,
    )
    assert "that time was just taken" in response.content.decode()


@pytest.fixture
def booked(booking):
    appointment, _ = actions.book_appointment(
        practice=booking.practice,
        service=booking.service,
        therapist=booking.cast.therapist,
        start=at(next_weekday(2), 10),
        client=booking.cast.client,
        online=True,
    )
    return appointment


def test_it_lets_a_client_cancel_inside_the_window(client, booked):
    token = manage_token(booked)
    page = client.get(reverse("booking_public:manage", args=[token])).content.decode()
    assert "Cancel this appointment" in page
    client.post(reverse("booking_public:manage_cancel", args=[token]))
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CANCELLED


def test_it_lets_a_client_reschedule_to_a_free_time(client, booked):
    token = manage_token(booked)
    new_start = booked.start + timedelta(hours=4)
    page = client.get(reverse("booking_public:manage", args=[token])).content.decode()
    assert "Change the time" in page
    client.post(reverse("booking_public:manage_move", args=[token]), {"start": new_start.isoformat()})
    booked.refresh_from_db()
    assert booked.start == new_start


def test_it_refuses_changes_after_the_cancellation_window(client, booked, booking):
    booking.rules.cancellation_window_hours = 24 * 30
    booking.rules.save()
    token = manage_token(booked)
    page = client.get(reverse("booking_public:manage", args=[token])).content.decode()
    assert "Please call the practice" in page and "Cancel this appointment" not in page
    client.post(reverse("booking_public:manage_cancel", args=[token]))
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED
