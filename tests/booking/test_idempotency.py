"""An idempotency key retries one request; it is never a way to read someone else's booking."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from bodymap.booking.models import Appointment
from tests.booking.conftest import at, next_weekday


def post(body, **extra):
    return HttpClient(**extra).post("/api/v1/bookings", body, content_type="application/json")


def request(when, who="Alex Morgan", email="alex.morgan@example.com", **changes):
    body = {
        "service": "massage-60",
        "therapist": "terry",
        "start": when.isoformat(),
        "client": {"name": who, "email": email, "phone": "416-555-0142"},
        "idempotency_key": "order-1001",
    }
    body.update(changes)
    return body


def test_it_refuses_a_known_key_with_a_different_request(booking):
    day = next_weekday(2)
    first = post(request(at(day, 10)))
    assert first.status_code == 201
    booked = Appointment.objects.count()
    replay = post(request(at(day, 14), who="Eve Stranger", email="eve@example.com"))
    assert replay.status_code == 422
    assert replay.json() == {"error": "idempotency_key_reused"}
    body = replay.content.decode()
    assert first.json()["id"] not in body and "alex" not in body.lower()
    assert Appointment.objects.count() == booked
    assert not Appointment.objects.filter(client__email="eve@example.com").exists()


def test_it_refuses_the_same_time_asked_for_by_someone_else(booking):
    start = at(next_weekday(2), 10)
    assert post(request(start)).status_code == 201
    assert post(request(start, email="eve@example.com")).status_code == 422


def test_it_still_answers_a_true_retry_with_the_first_booking(booking):
    start = at(next_weekday(2), 10)
    first = post(request(start))
    again = post(request(start, email="Alex.Morgan@example.com"))
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]


@pytest.fixture
def details_url(booking):
    start = at(next_weekday(2), 10)
    url = reverse("booking_public:details", args=["breathe", "massage-60", "terry"])
    return url, start


def test_it_does_not_show_a_booking_to_someone_replaying_the_form_key(details_url):
    url, start = details_url
    form = {"start": start.isoformat(), "key": "a" * 32, "phone": "416-555-0142"}
    first = HttpClient().post(url, {**form, "name": "Alex Morgan", "email": "alex.morgan@example.com"})
    assert first.status_code == 302
    replay = HttpClient().post(url, {**form, "name": "Eve Stranger", "email": "eve@example.com"})
    assert replay.status_code == 422
    assert first["Location"] not in replay.content.decode()
    assert "already used" in replay.content.decode()
