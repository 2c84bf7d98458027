"""An online booking never attaches to an existing client on the strength of an email address."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from bodymap.booking.models import Appointment
from bodymap.clients.models import Client
from tests.booking.conftest import at, next_weekday


def book(email, name="Pat Doe", therapist="terry", hour=10):
    body = {
        "service": "massage-60",
        "therapist": therapist,
        "start": at(next_weekday(2), hour).isoformat(),
        "client": {"name": name, "email": email, "phone": "416-555-0142"},
    }
    response = HttpClient().post("/api/v1/bookings", body, content_type="application/json")
    assert response.status_code == 201, response.content
    return Appointment.objects.select_related("client").get(public_id=response.json()["id"])


def test_it_keeps_another_therapists_client_chart_closed_to_a_therapist_who_books_them(as_role, booking):
    victim = booking.cast.other_client
    chart = reverse("chart:chart", args=[victim.public_id])
    assert as_role("therapist").get(chart).status_code == 404
    book(victim.email, name=victim.full_name)
    assert as_role("therapist").get(chart).status_code == 404
    assert as_role("therapist").get(reverse("clients:detail", args=[victim.public_id])).status_code == 404


def test_it_creates_a_new_client_marked_as_a_possible_duplicate(booking):
    existing = booking.cast.client
    appointment = book(existing.email.upper(), name="Someone Else")
    assert appointment.client != existing
    assert appointment.client.possible_duplicate_of == existing
    existing.refresh_from_db()
    assert existing.first_name == "Sam" and existing.appointments.filter(pk=appointment.pk).count() == 0


def test_it_keeps_people_who_share_an_email_as_separate_clients(booking):
    first = book("family@example.com", name="Ana Lima", hour=10)
    second = book("family@example.com", name="Rui Lima", hour=14)
    assert first.client != second.client
    assert Client.objects.filter(email="family@example.com").count() == 2
    assert {first.client.first_name, second.client.first_name} == {"Ana", "Rui"}


@pytest.mark.parametrize("therapist", ["terry", "olive"])
def test_it_opens_the_new_clients_own_record_to_the_booked_therapist(as_role, booking, therapist):
    appointment = book("new.person@example.com", therapist=therapist)
    role = "therapist" if therapist == "terry" else "other_therapist"
    chart = reverse("chart:chart", args=[appointment.client.public_id])
    assert as_role(role).get(chart).status_code == 200


def test_it_opens_only_the_bookers_own_new_record_to_the_therapist(as_role, booking):
    victim = booking.cast.other_client
    appointment = book(victim.email, name="Elena Kowalski")
    therapist = as_role("therapist")
    assert therapist.get(reverse("chart:session", args=[appointment.public_id])).status_code == 200
    assert therapist.get(reverse("chart:chart", args=[appointment.client.public_id])).status_code == 200
    assert therapist.get(reverse("chart:chart", args=[victim.public_id])).status_code == 404
