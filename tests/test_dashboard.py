"""The therapist's dashboard: today's and the coming week's appointments."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from bodymap.booking.models import Appointment, AppointmentStatus

TORONTO = ZoneInfo("America/Toronto")


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
