"""The public JSON API: services, therapists, availability, bookings, and every refusal."""

from datetime import timedelta

import pytest
from django.test import Client as HttpClient

from bodymap.booking import actions
from bodymap.booking.models import Appointment
from tests.booking.conftest import at, next_weekday


@pytest.fixture
def api():
    return HttpClient()


def post(api, body, **extra):
    return api.post("/api/v1/bookings", body, content_type="application/json", **extra)


def request(when, **changes):
    body = {
        "service": "massage-60",
        "therapist": "terry",
        "start": when.isoformat(),
        "client": {"name": "Alex Morgan", "email": "alex.morgan@example.com", "phone": "416-555-0142"},
    }
    body.update(changes)
    return body


def test_it_lists_services(api, booking):
    assert api.get("/api/v1/services").json() == [
        {"slug": "massage-30", "name": "Massage therapy, 30 minutes", "minutes": 30, "price": "65.00"},
        {"slug": "massage-60", "name": "Massage therapy, 60 minutes", "minutes": 60, "price": "110.00"},
    ]


def test_it_lists_therapists_with_their_services(api, booking):
    therapists = {t["slug"]: t for t in api.get("/api/v1/therapists").json()}
    assert sorted(therapists["terry"]["services"]) == ["massage-30", "massage-60"]
    assert therapists["olive"]["services"] == ["massage-60"]
    assert therapists["owen"]["services"] == []
    assert therapists["terry"]["name"] == "Therapist"


def test_it_serves_its_openapi_schema(api, booking):
    schema = api.get("/api/v1/openapi.json").json()
    assert {"/api/v1/services", "/api/v1/therapists", "/api/v1/availability", "/api/v1/bookings"} <= set(
        schema["paths"]
    )


def test_it_gives_availability_in_the_practice_time_zone(api, booking):
    day = next_weekday(2)
    body = api.get(
        "/api/v1/availability",
        {"service": "massage-60", "start": str(day), "end": str(day), "therapist": "terry"},
    ).json()
    assert body["timezone"] == "America/Toronto"
    first = body["slots"][0]
    assert first["start"] == at(day, 9).isoformat() and first["start"][-6:] in ("-05:00", "-04:00")
    assert first["end"] == at(day, 10).isoformat()
    assert first["therapist"] == "terry"
    assert len(body["slots"]) == 12


def test_it_gives_every_therapists_slots_for_anyone(api, booking):
    day = next_weekday(2)
    slots = api.get(
        "/api/v1/availability", {"service": "massage-60", "start": str(day), "end": str(day)}
    ).json()["slots"]
    assert {s["therapist"] for s in slots} == {"terry", "olive"}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "D", "end": "D"}, "service", "Choose a service."),
        (
            {"service": "hot-stones", "start": "D", "end": "D"},
            "service",
            "No service with this name is offered.",
        ),
        ({"service": "massage-60", "end": "D"}, "start", "Give the first day, as YYYY-MM-DD."),
        ({"service": "massage-60", "start": "D"}, "end", "Give the last day, as YYYY-MM-DD."),
        ({"service": "massage-60", "start": "tomorrow", "end": "D"}, "start", "Enter a date as YYYY-MM-DD."),
        (
            {"service": "massage-60", "start": "D", "end": "D-1"},
            "end",
            "The last day cannot be before the first.",
        ),
        ({"service": "massage-60", "start": "D", "end": "D+62"}, "end", "Ask for at most 62 days at a time."),
        (
            {"service": "massage-60", "start": "D", "end": "D", "therapist": "nobody"},
            "therapist",
            "No therapist with this name takes bookings here.",
        ),
        (
            {"service": "massage-30", "start": "D", "end": "D", "therapist": "olive"},
            "therapist",
            "This therapist does not offer this service.",
        ),
    ],
)
def test_it_explains_a_bad_availability_request(api, booking, params, field, message):
    day = next_weekday(2)
    values = {"D": str(day), "D-1": str(day - timedelta(days=1)), "D+62": str(day + timedelta(days=62))}
    query = {k: values.get(v, v) for k, v in params.items()}
    response = api.get("/api/v1/availability", query)
    assert response.status_code == 400
    assert message in response.json()["errors"][field]


def test_it_accepts_62_days(api, booking):
    day = next_weekday(2)
    response = api.get(
        "/api/v1/availability",
        {"service": "massage-60", "start": str(day), "end": str(day + timedelta(days=61))},
    )
    assert response.status_code == 200


def test_it_books_a_free_slot(api, booking):
    start = at(next_weekday(2), 10)
    response = post(api, request(start))
    assert response.status_code == 201
    body = response.json()
    assert body["service"] == "massage-60" and body["therapist"] == "terry" and body["status"] == "booked"
    assert body["start"] == start.isoformat() and body["end"] == (start + timedelta(hours=1)).isoformat()
    assert body["manage_url"].startswith("http://testserver/book/manage/")
    appointment = Appointment.objects.get(public_id=body["id"])
    assert appointment.client.email == "alex.morgan@example.com"
    assert appointment.holds_until == start + timedelta(minutes=75)


def test_it_marks_a_booking_with_a_known_email_as_a_possible_duplicate(api, booking):
    start = at(next_weekday(2), 10)
    body = request(start, client={"name": "Sammy R", "email": "SAM.RIVERA@example.com"})
    appointment = Appointment.objects.get(public_id=post(api, body).json()["id"])
    assert appointment.client.possible_duplicate_of == booking.cast.client
    booking.cast.client.refresh_from_db()
    assert booking.cast.client.first_name == "Sam"  # a public form never rewrites the record


def test_it_books_the_first_free_therapist_for_anyone(api, booking):
    start = at(next_weekday(2), 10)
    assert post(api, request(start)).status_code == 201
    second = post(api, request(start, therapist="any", client={"name": "B B", "email": "b@example.com"}))
    assert second.status_code == 201 and second.json()["therapist"] == "olive"
    third = post(api, request(start, therapist="any", client={"name": "C C", "email": "c@example.com"}))
    assert third.status_code == 409


def test_it_refuses_a_taken_slot_with_409(api, booking):
    start = at(next_weekday(2), 10)
    assert post(api, request(start)).status_code == 201
    overlapping = post(
        api, request(start + timedelta(minutes=30), client={"name": "B B", "email": "b@example.com"})
    )
    assert overlapping.status_code == 409
    assert overlapping.json() == {"error": "slot_taken"}
    assert Appointment.objects.filter(therapist=booking.cast.therapist, start__gte=start).count() == 1


def test_it_frees_the_slot_when_cancelled(api, booking):
    start = at(next_weekday(2), 10)
    first = Appointment.objects.get(public_id=post(api, request(start)).json()["id"])
    actions.cancel_appointment(appointment=first)
    assert post(api, request(start, client={"name": "B B", "email": "b@example.com"})).status_code == 201


def test_it_returns_the_first_booking_for_a_repeated_idempotency_key(api, booking):
    start = at(next_weekday(2), 10)
    first = post(api, request(start, idempotency_key="k-123"))
    again = post(api, request(start, idempotency_key="k-123"))
    assert first.status_code == 201 and again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert Appointment.objects.filter(idempotency_key="k-123").count() == 1


def test_it_limits_how_fast_one_address_books(api, booking, settings):
    settings.BODYMAP_BOOKING_RATE_LIMIT = 3
    day = next_weekday(2)
    statuses = [
        post(api, request(at(day, 9 + i), client={"name": "A B", "email": f"a{i}@example.com"})).status_code
        for i in range(4)
    ]
    assert statuses[:3] != [429] * 3 and statuses[3] == 429
    assert post(api, request(at(day, 15))).json() == {"error": "rate_limited"}
    # Another address is not held back.
    assert post(api, request(at(day, 15)), REMOTE_ADDR="10.1.2.3").status_code == 201


START_ERRORS = {
    "naive": "Give the start with its UTC offset, e.g. 2026-03-02T10:00:00-05:00.",
    "garbage": "Enter the start as an ISO-8601 time with its offset, e.g. 2026-03-02T10:00:00-05:00.",
}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"service": None}, "service", "Choose a service."),
        ({"service": "hot-stones"}, "service", "No service with this name is offered."),
        (
            {"service": "bad slug!"},
            "service",
            "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
        ),
        ({"therapist": None}, "therapist", "Choose a therapist, or 'any' for the first one free."),
        ({"therapist": "nobody"}, "therapist", "No therapist with this name takes bookings here."),
        (
            {"service": "massage-30", "therapist": "olive"},
            "therapist",
            "This therapist does not offer this service.",
        ),
        ({"start": None}, "start", "Choose a start time."),
        ({"start": "naive"}, "start", START_ERRORS["naive"]),
        ({"start": "garbage"}, "start", START_ERRORS["garbage"]),
        ({"client": None}, "client", "Tell us who is booking: client.name and client.email."),
        ({"client": {"email": "a@example.com"}}, "client.name", "Enter your name."),
        ({"client": {"name": "A B"}}, "client.email", "Enter your email address."),
        (
            {"client": {"name": "A B", "email": "not-an-email"}},
            "client.email",
            "Enter a valid email address.",
        ),
        (
            {"client": {"name": "A B", "email": "a@example.com", "phone": "call me"}},
            "client.phone",
            "Enter a phone number using digits, spaces and + ( ) - only, e.g. +44 7700 900123.",
        ),
        (
            {"idempotency_key": "x" * 101},
            "idempotency_key",
            "The idempotency key must be at most 100 characters.",
        ),
        ({"start": ["tomorrow"]}, "start", "This value is not valid."),
    ],
)
def test_it_explains_every_invalid_field(api, booking, change, field, message):
    body = request(at(next_weekday(2), 10), **change)
    if body["start"] == "naive":
        body["start"] = at(next_weekday(2), 10).replace(tzinfo=None).isoformat()
    response = post(api, {k: v for k, v in body.items() if v is not None})
    assert response.status_code == 400, response.content
    assert message in response.json()["errors"][field], response.json()
    assert not Appointment.objects.filter(booked_online=True).exists()


def test_it_refuses_a_time_outside_the_working_hours(api, booking):
    response = post(api, request(at(next_weekday(2), 12)))  # the lunch break
    assert response.status_code == 400
    assert response.json()["errors"]["start"] == [
        "This is not one of the free times: choose a time from the availability."
    ]


def test_it_refuses_too_little_notice(api, booking):
    from django.utils import timezone

    soon = timezone.now() + timedelta(minutes=30)
    response = post(api, request(soon))
    assert response.status_code == 400
    assert response.json()["errors"]["start"] == ["Book at least 2 hours ahead."]


def test_it_refuses_a_time_beyond_the_horizon(api, booking):
    response = post(api, request(at(next_weekday(2, weeks=12), 10)))
    assert response.status_code == 400
    assert response.json()["errors"]["start"] == ["Bookings open 60 days ahead: choose an earlier day."]


def test_it_refuses_malformed_json(api, booking):
    response = api.post("/api/v1/bookings", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"body": ["Send the booking as a JSON object."]}}


def test_it_answers_409_to_anyone_who_lost_the_last_free_therapist(api, booking):
    """Only Olive works that day: the second "anyone" booker is told the time was taken, not that
    it was never free."""
    from bodymap.booking.models import DayOverride

    day = next_weekday(2)
    DayOverride.objects.create(therapist=booking.cast.therapist, date=day)
    start = at(day, 10)
    first = post(api, request(start, therapist="any"))
    assert first.status_code == 201 and first.json()["therapist"] == "olive"
    second = post(api, request(start, therapist="any", client={"name": "B B", "email": "b@example.com"}))
    assert second.status_code == 409 and second.json() == {"error": "slot_taken"}
    assert Appointment.objects.filter(start=start).count() == 1


def test_it_still_explains_a_time_nobody_works_to_anyone(api, booking):
    response = post(api, request(at(next_weekday(2), 7), therapist="any"))
    assert response.status_code == 400
