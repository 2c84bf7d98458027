"""A booker whose email matched a client proves the address through the link mailed to it."""

import re

from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from bodymap.audit.models import AuditEntry
from bodymap.clients.models import Client
from tests.booking.test_online_identity import book


def returning_path(django_capture_on_commit_callbacks, email, name, therapist="terry"):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(email, name=name, therapist=therapist)
    body = mail.outbox[-1].body
    return appointment, re.search(r"https?://[^/\s]+(/book/returning/[^/\s]+/)", body).group(1)


def test_it_mails_the_claim_link_to_the_booked_address_only(booking, django_capture_on_commit_callbacks):
    returning_path(django_capture_on_commit_callbacks, booking.cast.client.email, "Sam Rivera")
    assert [m.to for m in mail.outbox] == [[booking.cast.client.email]]
    assert "/intake/" not in mail.outbox[0].body


def test_it_moves_the_booking_to_the_client_the_address_holder_names(
    as_role, booking, django_capture_on_commit_callbacks
):
    victim = booking.cast.client
    appointment, path = returning_path(django_capture_on_commit_callbacks, victim.email, "Sam Rivera")
    visitor = HttpClient()
    page = visitor.get(path)
    assert page.status_code == 200 and "Sam R." in page.content.decode()
    read = AuditEntry.objects.filter(subject_public_id=appointment.public_id, action="view").get()
    assert read.details["candidates"] == [str(victim.public_id)]
    assert "Rivera" not in page.content.decode().replace("Sam R.", "")
    appointment.refresh_from_db()
    assert appointment.client != victim  # a GET changes nothing
    assert visitor.post(path, {"client": str(victim.public_id)}).status_code == 200
    appointment.refresh_from_db()
    assert appointment.client == victim and appointment.identity_confirmed
    provisional = Client.objects.get(email=victim.email, merged_into=victim)
    assert provisional.is_active is False
    assert visitor.post(path, {"client": str(victim.public_id)}).status_code == 410


def test_it_refuses_a_client_with_another_address(booking, django_capture_on_commit_callbacks):
    appointment, path = returning_path(django_capture_on_commit_callbacks, booking.cast.client.email, "Sam R")
    other = booking.cast.other_client
    assert HttpClient().post(path, {"client": str(other.public_id)}).status_code == 200
    appointment.refresh_from_db()
    assert appointment.client != other and appointment.client.possible_duplicate_of == booking.cast.client


def test_it_refuses_a_forged_link(booking):
    assert HttpClient().get(reverse("booking_public:returning", args=["forged"])).status_code == 410


def test_it_opens_the_chart_once_the_booker_claims_a_booking_staff_merged(
    as_role, booking, django_capture_on_commit_callbacks
):
    victim = booking.cast.client  # assigned to Terry: Olive has never seen this chart
    appointment, path = returning_path(
        django_capture_on_commit_callbacks, victim.email, "Sam Rivera", therapist="olive"
    )
    merged = as_role("front_desk").post(
        reverse("clients:merge", args=[appointment.client.public_id]), {"into": str(victim.public_id)}
    )
    assert merged.status_code == 302
    chart = reverse("chart:chart", args=[victim.public_id])
    assert as_role("other_therapist").get(chart).status_code == 404
    assert HttpClient().post(path, {"client": str(victim.public_id)}).status_code == 200
    appointment.refresh_from_db()
    assert appointment.client == victim and appointment.identity_confirmed is True
    assert as_role("other_therapist").get(chart).status_code == 200
