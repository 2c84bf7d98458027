"""Confirmation before each treatment: the client's own signature, and a plan that says what is missing."""

from django.urls import reverse

from bodymap.consent.models import ConsentRecord
from tests.intake.helpers import fill_intake

CONFIRM = {
    "form": "confirm",
    "gluteal": "granted",
    "chest": "declined",
    "abdomen": "declined",
    "inner_thigh": "declined",
}


def test_it_records_the_clients_own_typed_signature(as_role, cast, client):
    fill_intake(client, cast.client, consent={"gluteal": "granted"})
    appointment = cast.client.appointments.get()
    url = reverse("chart:session", args=[appointment.public_id])
    http = as_role("therapist")
    refused = http.post(url, {**CONFIRM, "signature": cast.therapist.user.full_name})
    assert "including Rivera" in refused.content.decode()
    assert not ConsentRecord.objects.filter(appointment=appointment).exists()
    assert http.post(url, {**CONFIRM, "signature": "Sam Rivera"}).status_code == 302
    assert ConsentRecord.objects.get(appointment=appointment, region="gluteal").signature == "Sam Rivera"


def test_the_plan_says_not_yet_confirmed_today_rather_than_no_consent(as_role, cast, client):
    fill_intake(client, cast.client, consent={"gluteal": "granted"})
    appointment = cast.client.appointments.get()
    page = as_role("therapist").get(reverse("chart:session", args=[appointment.public_id])).content.decode()
    gluteal = page[page.index('data-region="gluteal"', page.index('class="exclusions"')) :][:600]
    assert "not yet confirmed today" in gluteal
    assert "no consent" not in gluteal
    # A region the client declined still says so.
    chest = (
        page[page.index('<li class="exclusion" data-region="chest"') :][:400]
        if 'exclusion" data-region="chest"' in page
        else ""
    )
    assert "not yet confirmed today" not in chest
