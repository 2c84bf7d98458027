"""Every booking setup view against every role: the owner sets up, therapists keep their own
schedule, front desk runs the diary and reads the rest."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bodymap.booking.models import BookingSettings, DayOverride, Service, TimeOff
from tests.booking.conftest import at, next_weekday
from tests.test_access_matrix import LOGIN, NOBODY_HERE, NOT_FOUND, OWNER_ONLY, STAFF_ONLY

THERAPISTS_DIARY = {**STAFF_ONLY, "other_therapist": NOT_FOUND}
THERAPISTS_HOURS = {**THERAPISTS_DIARY, "front_desk": NOT_FOUND}


def _foreign_service(cast):
    service = Service.objects.create(practice=cast.other_practice, name="Spa", slug="spa", minutes=60)
    return reverse("calendar:setup_service", args=[service.public_id])


VIEWS = [
    ("overview", lambda c: reverse("calendar:setup"), STAFF_ONLY),
    ("new service", lambda c: reverse("calendar:setup_service_new"), OWNER_ONLY),
    (
        "edit service",
        lambda c: reverse("calendar:setup_service", args=[Service.objects.get(slug="massage-60").public_id]),
        OWNER_ONLY,
    ),
    ("other practice's service", _foreign_service, NOBODY_HERE),
    ("booking rules", lambda c: reverse("calendar:setup_rules"), OWNER_ONLY),
    (
        "schedule",
        lambda c: reverse("calendar:setup_therapist", args=[c.therapist.public_id]),
        THERAPISTS_DIARY,
    ),
    (
        "weekly hours",
        lambda c: reverse("calendar:setup_hours", args=[c.therapist.public_id]),
        THERAPISTS_HOURS,
    ),
    (
        "other practice's schedule",
        lambda c: reverse("calendar:setup_therapist", args=[c.outsider.public_id]),
        NOBODY_HERE,
    ),
    (
        "other practice's hours",
        lambda c: reverse("calendar:setup_hours", args=[c.outsider.public_id]),
        NOBODY_HERE,
    ),
    (
        "front desk has no schedule",
        lambda c: reverse("calendar:setup_therapist", args=[c.front_desk.public_id]),
        NOBODY_HERE,
    ),
]


@pytest.mark.parametrize("role", list(STAFF_ONLY))
@pytest.mark.parametrize(("name", "url", "expected"), VIEWS, ids=[v[0] for v in VIEWS])
def test_it_checks_ownership(as_role, booking, role, name, url, expected):
    response = as_role(role).get(url(booking.cast))
    assert response.status_code == expected[role], f"{role} on {name}"
    if expected[role] == LOGIN:
        assert "login" in response["Location"]


def _time_off(cast):
    day = next_weekday(2)
    return TimeOff.objects.create(therapist=cast.therapist, start=at(day, 9), end=at(day, 11))


def _day_change(cast):
    return DayOverride.objects.create(therapist=cast.therapist, date=next_weekday(3))


def _diary_writes():
    day = next_weekday(4)
    return [
        (
            "add time off",
            lambda c: reverse("calendar:setup_time_off_add", args=[c.therapist.public_id]),
            {"off-start": f"{day}T09:00", "off-end": f"{day}T10:00"},
            lambda c: TimeOff.objects.filter(therapist=c.therapist).count() == 1,
        ),
        (
            "remove time off",
            lambda c: reverse("calendar:setup_time_off_remove", args=[_time_off(c).public_id]),
            {},
            lambda c: not TimeOff.objects.exists(),
        ),
        (
            "add day change",
            lambda c: reverse("calendar:setup_day_change_add", args=[c.therapist.public_id]),
            {"change-date": str(day), "change-closed": "on"},
            lambda c: DayOverride.objects.filter(therapist=c.therapist, date=day).exists(),
        ),
        (
            "remove day change",
            lambda c: reverse("calendar:setup_day_change_remove", args=[_day_change(c).public_id]),
            {},
            lambda c: not DayOverride.objects.exists(),
        ),
    ]


DIARY_WRITES = _diary_writes()
WROTE = {"owner": True, "therapist": True, "front_desk": True}


@pytest.mark.parametrize("role", list(STAFF_ONLY))
@pytest.mark.parametrize(("name", "url", "data", "written"), DIARY_WRITES, ids=[w[0] for w in DIARY_WRITES])
def test_it_lets_only_the_diary_keepers_write_time_off_and_day_changes(
    as_role, booking, role, name, url, data, written
):
    cast = booking.cast
    response = as_role(role).post(url(cast), data)
    if WROTE.get(role):
        assert response.status_code == 302 and "/setup/" in response["Location"], f"{role} on {name}"
        assert written(cast), f"{role} on {name}"
    else:
        assert response.status_code == (LOGIN if role == "anonymous" else NOT_FOUND), f"{role} on {name}"
        assert not written(cast), f"{role} on {name}"


def test_it_refuses_past_time_off_and_day_changes_for_removal(as_role, booking):
    cast = booking.cast
    yesterday = timezone.localdate() - timedelta(days=2)
    past = TimeOff.objects.create(therapist=cast.therapist, start=at(yesterday, 9), end=at(yesterday, 10))
    old = DayOverride.objects.create(therapist=cast.therapist, date=yesterday, start=time(9), end=time(10))
    http = as_role("owner")
    assert http.post(reverse("calendar:setup_time_off_remove", args=[past.public_id])).status_code == 404
    assert http.post(reverse("calendar:setup_day_change_remove", args=[old.public_id])).status_code == 404
    assert TimeOff.objects.filter(pk=past.pk).exists() and DayOverride.objects.filter(pk=old.pk).exists()


def _week_of_mondays():
    return {"day0-works": "on", "day0-start": "09:00", "day0-end": "13:00"}


# Each write with a payload the owner's request succeeds with (test_it_lets_the_owner_make_...),
# and how to tell whether it was written.
OWNER_WRITES = [
    (
        "new service",
        lambda c: reverse("calendar:setup_service_new"),
        lambda c: {"name": "Hot stones", "minutes": "60", "buffer_after_minutes": "0", "price": "1"},
        lambda c: Service.objects.filter(name="Hot stones").exists(),
    ),
    (
        "booking rules",
        lambda c: reverse("calendar:setup_rules"),
        lambda c: {
            "online_booking": "on",
            "min_notice_minutes": "60",
            "horizon_days": "5",
            "slot_step_minutes": "15",
            "cancellation_window_hours": "48",
            "reminder_hours": "24",
            "waitlist_hold_minutes": "120",
        },
        lambda c: BookingSettings.objects.get(practice=c.practice).horizon_days == 5,
    ),
    (
        "therapist's weekly hours",
        lambda c: reverse("calendar:setup_hours", args=[c.therapist.public_id]),
        lambda c: _week_of_mondays(),
        lambda c: c.therapist.working_hours.count() == 1,
    ),
]


@pytest.mark.parametrize(("name", "url", "data", "written"), OWNER_WRITES, ids=[w[0] for w in OWNER_WRITES])
def test_it_lets_the_owner_make_each_setup_write(as_role, booking, name, url, data, written):
    cast = booking.cast
    response = as_role("owner").post(url(cast), data(cast))
    assert response.status_code == 302, name
    assert written(cast), name


# The therapist keeps her own hours; nobody but the owner sets services and rules.
REFUSED = [
    (role, write)
    for role in ("therapist", "other_therapist", "front_desk", "client", "anonymous")
    for write in OWNER_WRITES
    if not (role == "therapist" and write[0] == "therapist's weekly hours")
]


@pytest.mark.parametrize(("role", "write"), REFUSED, ids=[f"{r}-{w[0]}" for r, w in REFUSED])
def test_it_keeps_services_hours_and_rules_from_non_owners(as_role, booking, role, write):
    name, url, data, written = write
    cast = booking.cast
    response = as_role(role).post(url(cast), data(cast))
    assert response.status_code == (LOGIN if role == "anonymous" else NOT_FOUND), f"{role} on {name}"
    assert not written(cast), f"{role} on {name}"
    assert cast.therapist.working_hours.count() == 5


def test_it_lets_an_owner_edit_only_their_own_practices_services(as_role, booking):
    """The edit the owner makes to her own service goes nowhere for another practice's service."""
    cast = booking.cast
    data = {"name": "Hot stones", "minutes": "60", "buffer_after_minutes": "0", "price": "1"}
    foreign = Service.objects.create(practice=cast.other_practice, name="Spa", slug="spa", minutes=60)
    http = as_role("owner")
    assert http.post(reverse("calendar:setup_service", args=[foreign.public_id]), data).status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Spa"
    assert (
        http.post(reverse("calendar:setup_service", args=[booking.service.public_id]), data).status_code
        == 302
    )
    booking.service.refresh_from_db()
    booking.short.refresh_from_db()
    assert booking.service.name == "Hot stones"
    assert booking.short.name == "Massage therapy, 30 minutes"
