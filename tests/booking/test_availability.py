"""Free slots: hours and breaks, notice and horizon, time off, buffers, daylight saving, queries."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bodymap.booking import actions
from bodymap.booking.availability import free_slots
from bodymap.booking.models import Appointment, DayOverride, TimeOff, WorkingHours
from tests.booking.conftest import TORONTO, at, next_weekday


def local_starts(slots, therapist=None):
    return [
        s.start.astimezone(TORONTO).strftime("%H:%M")
        for s in slots
        if therapist is None or s.therapist == therapist
    ]


def day_slots(booking, day, therapist=None, service=None, now=None):
    return free_slots(
        booking.practice,
        service or booking.service,
        day,
        day,
        therapist=therapist or booking.cast.therapist,
        now=now,
    )


def test_it_offers_the_working_hours_around_the_lunch_break(booking):
    day = next_weekday(2)
    # 60 minutes plus a 15-minute buffer: 11:00 ends at 12:00, the buffer may run into the break.
    assert local_starts(day_slots(booking, day)) == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
        "13:00",
        "13:30",
        "14:00",
        "14:30",
        "15:00",
        "15:30",
        "16:00",
    ]


def test_it_offers_nothing_on_a_day_without_hours(booking):
    assert day_slots(booking, next_weekday(5)) == []  # Saturday


def test_it_respects_the_minimum_notice(booking):
    day = next_weekday(1)
    now = at(day, 8, 10)
    # Two hours' notice: 10:10 at the earliest, so the first slot on the 30-minute grid is 10:30.
    assert local_starts(day_slots(booking, day, now=now))[0] == "10:30"


def test_it_offers_nothing_beyond_the_booking_horizon(booking):
    booking.rules.horizon_days = 10
    booking.rules.save()
    now = at(next_weekday(0), 12)
    within, beyond = now.date() + timedelta(days=9), now.date() + timedelta(days=15)
    slots = free_slots(
        booking.practice, booking.service, within, beyond, therapist=booking.cast.therapist, now=now
    )
    assert slots
    assert max(s.start for s in slots) <= now + timedelta(days=10)


def test_it_leaves_out_time_off(booking):
    day = next_weekday(3)
    TimeOff.objects.create(therapist=booking.cast.therapist, start=at(day, 14), end=at(day, 16))
    starts = local_starts(day_slots(booking, day))
    # 13:00 would end at 14:00, but its turnover buffer runs into the time off.
    assert "13:00" not in starts and "14:00" not in starts and "15:30" not in starts
    assert "16:00" in starts and "12:00" not in starts


def test_it_keeps_the_buffer_free_on_both_sides_of_an_appointment(booking):
    day = next_weekday(2)
    actions.book_appointment(
        practice=booking.practice,
        service=booking.service,
        therapist=booking.cast.therapist,
        start=at(day, 10),
        client=booking.cast.client,
    )
    hour = local_starts(day_slots(booking, day))
    # A new hour needs its own 15 minutes after it: 9:00 would run to 10:15, into the booking.
    assert "09:00" not in hour and hour[0] == "13:00"
    half = local_starts(day_slots(booking, day, service=booking.short))
    # The booked hour holds the therapist until 11:15, its turnover included.
    assert half[:3] == ["09:00", "09:30", "11:30"]


def test_it_frees_the_slot_when_an_appointment_is_cancelled(booking):
    day = next_weekday(2)
    appointment, _ = actions.book_appointment(
        practice=booking.practice,
        service=booking.service,
        therapist=booking.cast.therapist,
        start=at(day, 14),
        client=booking.cast.client,
    )
    assert "14:00" not in local_starts(day_slots(booking, day))
    actions.cancel_appointment(appointment=appointment)
    assert "14:00" in local_starts(day_slots(booking, day))


def test_it_applies_one_off_changes_to_a_day(booking):
    day, off = next_weekday(1), next_weekday(2)
    DayOverride.objects.create(therapist=booking.cast.therapist, date=day, start=time(18), end=time(20))
    DayOverride.objects.create(therapist=booking.cast.therapist, date=off)
    assert local_starts(day_slots(booking, day)) == ["18:00", "18:30", "19:00"]
    assert day_slots(booking, off) == []


def test_it_lists_every_therapist_for_anyone_and_one_per_time(booking):
    day = next_weekday(2)
    # The first therapist is busy at 10:00: anyone booked then gets the second.
    Appointment.objects.create(
        practice=booking.practice,
        client=booking.cast.client,
        therapist=booking.cast.therapist,
        start=at(day, 10),
        end=at(day, 11),
    )
    slots = free_slots(booking.practice, booking.service, day, day)
    assert {s.therapist for s in slots} == {booking.cast.therapist, booking.cast.other_therapist}
    merged = free_slots(booking.practice, booking.service, day, day, first_free_only=True)
    assert [s.start for s in merged] == sorted({s.start for s in slots})
    # At each time, the first of the therapists (in their order) who is free then.
    assert merged == [next(s for s in slots if s.start == m.start) for m in merged]
    at_ten = next(s for s in merged if s.start == at(day, 10))
    assert at_ten.therapist == booking.cast.other_therapist
    assert {s.therapist for s in merged} == {booking.cast.therapist, booking.cast.other_therapist}


@pytest.fixture
def night_hours(booking):
    """Hours from 1:00 to 5:00 on Sundays, across the hour the clocks change."""
    WorkingHours.objects.create(therapist=booking.cast.therapist, weekday=6, start=time(1), end=time(5))
    booking.rules.horizon_days = 3650
    booking.rules.save()
    return booking


def test_it_skips_the_missing_hour_when_the_clocks_go_forward(night_hours):
    spring = date(2027, 3, 14)  # 2:00 EST becomes 3:00 EDT
    now = datetime(2027, 3, 1, tzinfo=UTC)
    slots = day_slots(night_hours, spring, now=now)
    # 1:00 EST is 06:00 UTC and 5:00 EDT is 09:00 UTC: three real hours.
    assert [s.start.strftime("%H:%M") for s in slots] == ["06:00", "06:30", "07:00", "07:30", "08:00"]
    assert local_starts(slots) == ["01:00", "01:30", "03:00", "03:30", "04:00"]
    assert all(s.end - s.start == timedelta(hours=1) for s in slots)


def test_it_counts_the_repeated_hour_when_the_clocks_go_back(night_hours):
    autumn = date(2027, 11, 7)  # 2:00 EDT becomes 1:00 EST
    now = datetime(2027, 11, 1, tzinfo=UTC)
    slots = day_slots(night_hours, autumn, now=now)
    # 1:00 EDT is 05:00 UTC and 5:00 EST is 10:00 UTC: five real hours, nine 60-minute slots.
    assert len(slots) == 9
    assert slots[0].start == datetime(2027, 11, 7, 5, tzinfo=UTC)
    assert slots[-1].end == datetime(2027, 11, 7, 10, tzinfo=UTC)


def test_it_keeps_local_nine_oclock_on_both_sides_of_a_change(booking):
    booking.rules.horizon_days = 3650
    booking.rules.save()
    now = datetime(2027, 3, 1, tzinfo=UTC)
    # The other therapist has no appointments, so nothing the cast books "tomorrow" can fall on these
    # fixed days, whatever day the suite runs.
    olive = booking.cast.other_therapist
    before = day_slots(booking, date(2027, 3, 12), therapist=olive, now=now)[0].start
    after = day_slots(booking, date(2027, 3, 15), therapist=olive, now=now)[0].start
    assert (before.hour, after.hour) == (14, 13)  # 9:00 EST, then 9:00 EDT


def test_it_answers_any_range_in_a_constant_handful_of_queries(booking, django_assert_max_num_queries):
    cast = booking.cast
    first = next_weekday(0)
    rows = [
        Appointment(
            practice=cast.practice,
            client=cast.client,
            therapist=cast.therapist,
            start=at(first + timedelta(days=d), h),
            end=at(first + timedelta(days=d), h) + timedelta(hours=1),
        )
        for d in range(0, 40)
        for h in (9, 11, 15)
    ]
    Appointment.objects.bulk_create(rows)
    TimeOff.objects.create(therapist=cast.therapist, start=at(first, 13), end=at(first, 17))
    for days in (1, 7, 40):
        with django_assert_max_num_queries(7):
            slots = free_slots(cast.practice, booking.service, first, first + timedelta(days=days - 1))
        assert slots
