"""The booking page's times for "anyone": one time per slot with the first therapist free, in the
same few queries however many appointments the days hold."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bodymap.booking.models import Appointment
from tests.booking.conftest import at, next_weekday


def _times(http, day):
    with CaptureQueriesContext(connection) as queries:
        page = http.get("/book/breathe/massage-60/any/", {"from": str(day), "day": str(day)}).content.decode()
    return len(queries), re.findall(r'class="time-pick"[^>]*>(\d\d:\d\d)<', page)


def _book(booking, therapist, day, hour):
    start = at(day, hour)
    Appointment.objects.create(
        practice=booking.practice,
        client=booking.cast.client,
        therapist=therapist,
        service=booking.service,
        start=start,
        end=start + timedelta(hours=1),
    )


def test_it_offers_a_time_while_either_therapist_is_free(client, booking):
    day = next_weekday(2)
    _count, before = _times(client, day)
    assert before[:3] == ["09:00", "09:30", "10:00"]
    # One therapist busy at 9:00 leaves the other; both busy, the time is gone (and 9:30, whose
    # hour and buffer run into the 10:00 appointments, too).
    _book(booking, booking.cast.therapist, day, 9)
    assert _times(client, day)[1] == before
    _book(booking, booking.cast.other_therapist, day, 9)
    _book(booking, booking.cast.therapist, day, 10)
    _book(booking, booking.cast.other_therapist, day, 10)
    after = _times(client, day)[1]
    assert "09:00" not in after and "09:30" not in after and "10:00" not in after
    assert after[0] == "11:00"


def test_its_query_count_is_pinned_and_does_not_grow_with_bookings(client, booking):
    day = next_weekday(2)
    few, _ = _times(client, day)
    for d in range(14):
        for hour in (9, 13, 15):
            _book(booking, booking.cast.therapist, day + timedelta(days=d), hour)
    many, _ = _times(client, day)
    # The practice and its rules (whether it books online), the service, the rules again (the page's
    # own read); the therapists, their hours, day changes, time off and the appointments that hold time.
    assert few == many == 9
