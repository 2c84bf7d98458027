"""Dates at the edge of the calendar and NUL bytes get a clear refusal, never a server error."""

import pytest
from django.core.cache import cache
from django.test import Client as HttpClient
from django.urls import reverse

from bodymap.booking.models import Appointment, TimeOff
from bodymap.clients.models import Client
from bodymap.intake.links import make_token
from tests.booking.conftest import make_bookable

EXTREME_DAYS = ["0001-01-01", "9999-12-31"]
EXTREME_STARTS = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:00-12:00", "0001-01-01T00:00:00Z"]
NUL = "Sam\x00Rivera"


@pytest.fixture
def booking(cast, settings):
    # The cast has two practices: the public pages and the API serve this one.
    settings.BODYMAP_BOOKING_PRACTICE = "breathe"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    cache.clear()
    yield make_bookable(cast)
    cache.clear()


def public(path):
    return reverse(f"booking_public:{path[0]}", args=["breathe", "massage-60", "terry"][: path[1]])


@pytest.mark.parametrize("day", EXTREME_DAYS)
@pytest.mark.parametrize(
    ("role", "url", "param"),
    [
        ("owner", "calendar:calendar", "date"),
        ("owner", "calendar:new", "date"),
        ("owner", "audit:log", "date_from"),
        ("owner", "audit:log", "date_to"),
    ],
)
def test_it_answers_a_staff_page_asked_for_an_extreme_day(as_role, cast, role, url, param, day):
    response = as_role(role).get(reverse(url), {param: day, "view": "day"})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("day", EXTREME_DAYS)
@pytest.mark.parametrize("param", ["from", "day"])
def test_it_answers_the_booking_page_asked_for_an_extreme_day(client, booking, param, day):
    response = client.get(public(("time", 3)), {param: day})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("start", EXTREME_STARTS)
def test_it_sends_an_extreme_start_back_to_the_times(client, booking, start):
    response = client.get(public(("details", 3)), {"start": start})
    assert response.status_code in (302, 400)


@pytest.mark.parametrize("day", EXTREME_DAYS)
@pytest.mark.parametrize("field", ["start", "end"])
def test_the_api_refuses_an_extreme_availability_day(client, booking, field, day):
    query = {"service": "massage-60", "start": "2026-03-02", "end": "2026-03-03", field: day}
    if field == "start":
        query["end"] = day
    response = client.get("/api/v1/availability", query)
    assert response.status_code == 400


@pytest.mark.parametrize("start", EXTREME_STARTS)
def test_the_api_refuses_an_extreme_booking_start(client, booking, start):
    body = {
        "service": "massage-60",
        "therapist": "terry",
        "start": start,
        "client": {"name": "Alex Morgan", "email": "alex.morgan@example.com"},
    }
    response = client.post("/api/v1/bookings", body, content_type="application/json")
    assert response.status_code == 400 and "start" in response.json()["errors"]
    assert not Appointment.objects.filter(client__email="alex.morgan@example.com").exists()


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_it_refuses_an_appointment_on_an_extreme_day_beside_the_field(as_role, cast, booking, day):
    before = Appointment.objects.count()
    data = {
        "client": cast.client.pk,
        "service": booking.service.pk,
        "therapist": cast.therapist.pk,
        "date": day,
        "time": "10:00",
    }
    response = as_role("owner").post(reverse("calendar:new"), data)
    assert response.status_code in (200, 400)
    assert "Enter a date between" in response.content.decode()
    assert Appointment.objects.count() == before


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_it_refuses_to_move_an_appointment_to_an_extreme_day(as_role, cast, booking, day):
    appointment = cast.appointment
    data = {"therapist": cast.therapist.pk, "date": day, "time": "10:00"}
    response = as_role("owner").post(reverse("calendar:move", args=[appointment.public_id]), data)
    assert response.status_code in (200, 400)
    appointment.refresh_from_db()
    assert appointment.start.year not in (1, 9999)


@pytest.mark.parametrize(
    ("start", "end"), [("0001-01-01T09:00", "0001-01-02T09:00"), ("9999-12-31T09:00", "9999-12-31T23:00")]
)
def test_it_refuses_time_off_at_an_extreme_date(as_role, cast, booking, start, end):
    url = reverse("calendar:setup_time_off_add", args=[cast.therapist.public_id])
    response = as_role("owner").post(url, {"start": start, "end": end, "reason": "Away"})
    assert response.status_code == 400
    assert not TimeOff.objects.exists()


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_it_refuses_a_day_change_at_an_extreme_date(as_role, cast, booking, day):
    url = reverse("calendar:setup_day_change_add", args=[cast.therapist.public_id])
    response = as_role("owner").post(url, {"change-date": day, "change-closed": "on"})
    assert response.status_code == 400


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_it_refuses_an_extreme_date_of_birth_beside_the_field(as_role, cast, day):
    data = {"first_name": "Ada", "last_name": "Lovelace", "date_of_birth": day}
    response = as_role("owner").post(reverse("clients:new"), data)
    assert response.status_code in (200, 400)
    assert not Client.objects.filter(last_name="Lovelace").exists()


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_it_refuses_an_extreme_date_of_birth_in_the_intake(cast, day):
    http = HttpClient()
    token = make_token(cast.client)
    http.get(reverse("intake:start", args=[token]))
    data = {"first_name": "Sam", "last_name": "Rivera", "date_of_birth": day}
    response = http.post(reverse("intake:step", args=[token, "about"]), data)
    assert response.status_code in (200, 400)
    cast.client.refresh_from_db()
    assert cast.client.date_of_birth is None or cast.client.date_of_birth.year not in (1, 9999)


# NUL bytes: PostgreSQL refuses them in text and JSON, so each used to escape as a server error.


@pytest.mark.parametrize(
    ("role", "url", "params"),
    [
        ("front_desk", "clients:list", {"q": NUL}),
        ("owner", "audit:log", {"actor": NUL, "subject": NUL}),
        ("owner", "calendar:calendar", {"who": NUL}),
    ],
)
def test_it_refuses_a_nul_byte_in_a_query(as_role, cast, role, url, params):
    assert as_role(role).get(reverse(url), params).status_code == 400


def test_it_refuses_a_nul_byte_in_a_link_token(client, cast):
    for path in (f"/book/manage/{NUL}/", f"/intake/{NUL}/", f"/portal/sign-in/{NUL}/", f"/feeds/{NUL}.ics"):
        assert client.get(path).status_code in (400, 404), path


def test_it_refuses_a_nul_byte_in_the_booking_api(client, booking):
    body = {
        "service": "massage-60",
        "therapist": "terry",
        "start": "2026-03-02T10:00:00-05:00",
        "client": {"name": NUL, "email": "alex.morgan@example.com"},
        "idempotency_key": NUL,
    }
    response = client.post("/api/v1/bookings", body, content_type="application/json")
    assert response.status_code == 400
    assert client.get("/api/v1/availability", {"service": NUL}).status_code == 400


def test_it_refuses_a_nul_byte_in_the_intake(cast):
    http = HttpClient()
    token = make_token(cast.client)
    http.get(reverse("intake:start", args=[token]))
    response = http.post(reverse("intake:step", args=[token, "about"]), {"first_name": NUL, "last_name": "R"})
    assert response.status_code == 400
    cast.client.refresh_from_db()
    assert "\x00" not in cast.client.first_name


def test_it_refuses_a_nul_byte_in_a_json_body(client, booking):
    response = client.post(
        "/api/v1/bookings", '{"service": "massage-60\\u0000"}', content_type="application/json"
    )
    assert response.status_code == 400


def test_it_refuses_a_nul_byte_in_the_browser_it_would_record_as_evidence(client, cast):
    token = make_token(cast.client)
    assert client.get(reverse("intake:start", args=[token]), HTTP_USER_AGENT=NUL).status_code == 400
