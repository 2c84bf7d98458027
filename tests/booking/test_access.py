"""Every booking view against every role, in the pattern of tests/test_access_matrix.py."""

from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from bodymap.booking.links import manage_token
from bodymap.booking.models import Appointment, BookingSettings
from tests.booking.conftest import next_weekday
from tests.test_access_matrix import LOGIN, NOBODY_HERE, NOT_FOUND, PUBLIC, STAFF_ONLY

# The cast's appointment is with `therapist`: the other therapist may not open or change it.
THERAPISTS_APPOINTMENT = {**STAFF_ONLY, "other_therapist": NOT_FOUND}
TREATING_STAFF = {**STAFF_ONLY, "front_desk": NOT_FOUND}
NOWHERE = dict.fromkeys(STAFF_ONLY, NOT_FOUND)


def _offline(cast, url):
    BookingSettings.objects.get_or_create(practice=cast.other_practice, defaults={"online_booking": False})
    return url


VIEWS = [
    ("calendar week", lambda c: reverse("calendar:calendar"), STAFF_ONLY),
    ("calendar day", lambda c: reverse("calendar:calendar") + "?view=day", STAFF_ONLY),
    ("new appointment", lambda c: reverse("calendar:new"), STAFF_ONLY),
    (
        "appointment",
        lambda c: reverse("calendar:appointment", args=[c.appointment.public_id]),
        THERAPISTS_APPOINTMENT,
    ),
    ("calendar feed settings", lambda c: reverse("calendar:feed"), TREATING_STAFF),
    ("public services", lambda c: reverse("booking_public:services", args=["breathe"]), PUBLIC),
    (
        "public therapist",
        lambda c: reverse("booking_public:therapist", args=["breathe", "massage-60"]),
        PUBLIC,
    ),
    ("public time", lambda c: reverse("booking_public:time", args=["breathe", "massage-60", "any"]), PUBLIC),
    (
        "practice not booking online",
        lambda c: _offline(c, reverse("booking_public:services", args=["elsewhere"])),
        NOWHERE,
    ),
    (
        "practice not booking online, api",
        lambda c: _offline(c, "/api/v1/services?practice=elsewhere"),
        NOWHERE,
    ),
    ("manage link", lambda c: reverse("booking_public:manage", args=[manage_token(c.appointment)]), PUBLIC),
    ("confirmation", lambda c: reverse("booking_public:done", args=[manage_token(c.appointment)]), PUBLIC),
    ("forged manage link", lambda c: reverse("booking_public:manage", args=["forged:token"]), NOWHERE),
    ("forged offer link", lambda c: reverse("booking_public:offer", args=["forged:token"]), NOWHERE),
    ("unknown calendar feed", lambda c: reverse("feeds:calendar", args=["not-a-token"]), NOWHERE),
    ("api services", lambda c: "/api/v1/services", PUBLIC),
]


@pytest.mark.parametrize("role", list(STAFF_ONLY))
@pytest.mark.parametrize(("name", "url", "expected"), VIEWS, ids=[v[0] for v in VIEWS])
def test_it_checks_ownership(as_role, booking, role, name, url, expected):
    cast = booking.cast
    response = as_role(role).get(url(cast))
    assert response.status_code == expected[role], f"{role} on {name}"
    if expected[role] == LOGIN and role == "anonymous":
        assert "login" in response["Location"]


def _move(cast):
    # A free hour in the therapist's week, so the owner's move of the same payload succeeds.
    return {"therapist": str(cast.therapist.public_id), "date": str(next_weekday(2)), "time": "14:00"}


def _unchanged(cast):
    before = (cast.appointment.status, cast.appointment.start, cast.appointment.therapist_id)
    cast.appointment.refresh_from_db()
    return (cast.appointment.status, cast.appointment.start, cast.appointment.therapist_id) == before


CHANGES = [
    ("move", lambda c: reverse("calendar:move", args=[c.appointment.public_id]), _move),
    (
        "cancel",
        lambda c: reverse("calendar:cancel", args=[c.appointment.public_id]),
        lambda c: {"reason": "Called to cancel"},
    ),
    (
        "no-show",
        lambda c: reverse("calendar:no_show", args=[c.appointment.public_id]),
        lambda c: {"reason": "Did not arrive"},
    ),
    (
        "status",
        lambda c: reverse("calendar:status", args=[c.appointment.public_id]),
        lambda c: {"status": "checked_in"},
    ),
]


@pytest.mark.parametrize(("name", "url", "data"), CHANGES, ids=[c[0] for c in CHANGES])
def test_it_lets_the_owner_make_each_change(as_role, booking, name, url, data):
    # The payloads the outsiders below are refused are ones that work for someone allowed.
    cast = booking.cast
    response = as_role("owner").post(url(cast), data(cast))
    assert response.status_code == 302, name
    assert not _unchanged(cast), name


@pytest.mark.parametrize("role", ["other_therapist", "client", "anonymous"])
@pytest.mark.parametrize(("name", "url", "data"), CHANGES, ids=[c[0] for c in CHANGES])
def test_it_refuses_changes_from_outsiders(as_role, booking, role, name, url, data):
    cast = booking.cast
    response = as_role(role).post(url(cast), data(cast))
    assert response.status_code == (LOGIN if role == "anonymous" else NOT_FOUND), f"{role} on {name}"
    assert _unchanged(cast), f"{role} on {name}"


def test_it_hides_the_other_practice_from_staff(as_role, booking, cast):
    outsider = as_role("owner")
    foreign = Appointment.objects.create(
        practice=cast.other_practice,
        client=cast.foreign_client,
        therapist=cast.outsider,
        start=cast.appointment.start,
        end=cast.appointment.end,
    )
    assert (
        outsider.get(reverse("calendar:appointment", args=[foreign.public_id])).status_code
        == NOBODY_HERE["owner"]
    )


def test_it_sends_the_public_to_the_practice_booking_page(client, booking):
    response = client.get(reverse("booking_public:start"))
    assert response.status_code == 302 and response["Location"] == "/book/breathe/"


def test_it_offers_to_open_the_session_to_clinicians_not_the_desk(as_role, cast):
    """The day's list links each appointment to its session for the owner and the therapist; front
    desk sees the same appointment without the link."""
    day = timezone.localtime(cast.appointment.start, ZoneInfo("America/Toronto")).date()
    url = reverse("booking:dashboard_day") + f"?date={day}&who=all"
    session = reverse("chart:session", args=[cast.appointment.public_id])
    for role, linked in (("owner", True), ("therapist", True), ("front_desk", False)):
        page = as_role(role).get(url).content.decode()
        assert "Marcus Bell" in page, role
        assert (session in page) is linked, role


def test_it_names_the_client_of_a_clash_only_to_someone_who_may_see_them(booking):
    from bodymap.booking import actions
    from bodymap.booking.staff.desk import describe_clash
    from tests.booking.conftest import at

    cast = booking.cast
    day = next_weekday(2)
    actions.book_appointment(
        practice=cast.practice,
        service=booking.service,
        therapist=cast.therapist,
        start=at(day, 9),
        client=cast.client,
    )
    for member, names in ((cast.front_desk, True), (cast.therapist, True), (cast.other_therapist, False)):
        said = describe_clash(member, cast.therapist, at(day, 9), at(day, 10))
        assert ("Sam Rivera" in said) is names, member
        assert "09:00–10:00" in said
