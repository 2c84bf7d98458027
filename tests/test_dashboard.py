"""The therapist's dashboard: today's and the coming week's appointments."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from bodymap.booking.models import Appointment, AppointmentStatus

TORONTO = ZoneInfo("America/Toronto")


@pytest.fixture(autouse=True, params=["2026-11-30 09:00:00-05:00", "2026-11-29 23:30:00-05:00"])
def clock(request):
    """The dashboard is about "today": each test runs on a Monday morning and late on a Sunday
    (tomorrow is another week), never at whatever moment the suite happens to run."""
    with time_machine.travel(request.param, tick=True):
        yield


def book(cast, client, therapist, start, status=AppointmentStatus.BOOKED):
    return Appointment.objects.create(
        practice=cast.practice,
        client=client,
        therapist=therapist,
        start=start,
        end=start + timedelta(hours=1),
        status=status,
    )


def local_today_at(hour, days=0):
    today = timezone.now().astimezone(TORONTO).date() + timedelta(days=days)
    return datetime.combine(today, datetime.min.time(), tzinfo=TORONTO).replace(hour=hour)


def test_it_shows_a_therapists_own_appointments_in_the_practice_time_zone(as_role, cast):
    book(cast, cast.client, cast.therapist, local_today_at(23, days=2).replace(minute=30))
    page = as_role("therapist").get(reverse("booking:dashboard")).content.decode()
    # 23:30 in Toronto is the next morning in UTC: the page must show local time and name the zone.
    assert "23:30" in page
    assert "Times are Toronto time" in page
    assert "Marcus Bell" in page  # tomorrow's appointment from the cast


def test_it_hides_other_therapists_appointments_from_a_therapist(as_role, cast):
    book(cast, cast.other_client, cast.other_therapist, local_today_at(11, days=1))
    page = as_role("therapist").get(reverse("booking:dashboard")).content.decode()
    assert "Kowalski" not in page


def test_it_lets_front_desk_see_the_whole_practice(as_role, cast):
    book(cast, cast.other_client, cast.other_therapist, local_today_at(11, days=1))
    page = as_role("front_desk").get(reverse("booking:dashboard")).content.decode()
    assert "Kowalski" in page and "Marcus Bell" in page


def test_it_lets_the_owner_switch_between_their_diary_and_the_practice(as_role, cast):
    book(cast, cast.other_client, cast.other_therapist, local_today_at(11, days=1))
    http = as_role("owner")
    assert "Kowalski" not in http.get(reverse("booking:dashboard")).content.decode()
    assert "Kowalski" in http.get(reverse("booking:dashboard"), {"who": "all"}).content.decode()


def test_it_leaves_out_cancelled_appointments_and_those_beyond_a_week(as_role, cast):
    book(cast, cast.client, cast.therapist, local_today_at(9, days=3), AppointmentStatus.CANCELLED)
    book(cast, cast.other_client, cast.therapist, local_today_at(9, days=9))
    page = as_role("therapist").get(reverse("booking:dashboard")).content.decode()
    assert page.count("Sam Rivera") == 1  # the cast's own booking only
    assert "Kowalski" not in page


def test_it_uses_a_fixed_number_of_queries(as_role, cast, django_assert_max_num_queries):
    for day in range(7):
        book(cast, cast.client, cast.therapist, local_today_at(14, days=day + 1))
    http = as_role("therapist")
    # Ten whatever the number of appointments: one asks whether this therapist turned on two-factor
    # sign-in, one lists the open red-flag alerts.
    with django_assert_max_num_queries(10):
        assert http.get(reverse("booking:dashboard")).status_code == 200


def fill(cast, days, first_hour):
    """Half-hour appointments for every treating member of the cast, 45 a day."""
    for day in days:
        for i, therapist in enumerate((cast.owner, cast.therapist, cast.other_therapist)):
            client = (cast.booked_client, cast.client, cast.other_client)[i]
            for slot in range(15):
                start = local_today_at(first_hour, days=day) + timedelta(minutes=30 * slot)
                Appointment.objects.create(
                    practice=cast.practice,
                    client=client,
                    therapist=therapist,
                    start=start,
                    end=start + timedelta(minutes=30),
                )


def test_it_shows_a_busy_practice_a_page_at_a_time(as_role, cast):
    fill(cast, days=[0], first_hour=1)
    fill(cast, days=[1], first_hour=13)
    http = as_role("front_desk")
    page = http.get(reverse("booking:dashboard")).content.decode()
    # Today: the first 40 of 45, and a way to the rest; tomorrow: its count and a way to its list.
    assert page.count('class="appt appt--') == 40
    assert '<span class="count">45</span>' in page and '<span class="count">47</span>' in page
    today = timezone.now().astimezone(TORONTO).date()
    rest = http.get(reverse("booking:dashboard_day"), {"date": str(today), "who": "all", "page": 2})
    assert rest.content.decode().count('class="appt appt--') == 5
    tomorrow = http.get(reverse("booking:dashboard_day"), {"date": str(today + timedelta(days=1))})
    day = tomorrow.content.decode()
    assert day.count('class="appt appt--') == 40 and "Marcus Bell" in day and "Kowalski" in day
    assert "Show more" in day


def test_it_never_widens_a_therapists_day_to_the_practice(as_role, cast):
    fill(cast, days=[1], first_hour=13)
    today = timezone.now().astimezone(TORONTO).date()
    response = as_role("therapist").get(
        reverse("booking:dashboard_day"), {"date": str(today + timedelta(days=1)), "who": "all"}
    )
    assert response.status_code == 200
    day = response.content.decode()
    # Tomorrow holds the other therapist's Kowalski and the owner's appointments too.
    assert "Kowalski" not in day and day.count('class="appt appt--') == 17
