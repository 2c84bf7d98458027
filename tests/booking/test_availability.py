"""Free slots: hours and breaks, notice and horizon, time off, buffers, daylight saving, queries."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bodymap.booking import actions
from bodymap.booking.availability import (
    _merge,
    free_slots,
    is_bookable,
    rules_for,
    therapist_slug,
    therapists_offering,
)
from bodymap.booking.models import (
    Appointment,
    AppointmentStatus,
    BookingSettings,
    DayOverride,
    TimeOff,
    WorkingHours,
)
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


def test_it_offers_the_time_that_gives_exactly_the_notice(booking):
    day = next_weekday(1)
    # Two hours' notice from 8:00 is 10:00 on the dot: enough.
    assert local_starts(day_slots(booking, day, now=at(day, 8)))[0] == "10:00"


def test_it_offers_a_time_exactly_at_the_horizon_and_none_after(booking):
    booking.rules.horizon_days = 10
    booking.rules.save()
    monday = next_weekday(0)
    now = at(monday, 10)
    last = monday + timedelta(days=10)  # a Thursday
    assert local_starts(day_slots(booking, last, now=now)) == ["09:00", "09:30", "10:00"]


def test_a_waitlist_hold_keeps_its_time_until_it_expires(booking):
    day = next_weekday(2)
    expires = at(day - timedelta(days=3), 12)
    Appointment.objects.create(
        practice=booking.practice,
        client=booking.cast.client,
        therapist=booking.cast.therapist,
        service=booking.service,
        start=at(day, 10),
        end=at(day, 11),
        holds_until=at(day, 11, 15),
        status=AppointmentStatus.HELD,
        hold_expires_at=expires,
    )
    held = local_starts(day_slots(booking, day, now=expires - timedelta(minutes=1)))
    assert "10:00" not in held and "11:00" not in held
    # At the moment it expires, the hold no longer counts.
    assert "10:00" in local_starts(day_slots(booking, day, now=expires))


def test_it_offers_an_appointments_own_time_when_asked_to_ignore_it(booking):
    # A move compares the new time with every other booking, never with the one being moved.
    day = next_weekday(2)
    appointment, _ = actions.book_appointment(
        practice=booking.practice,
        service=booking.service,
        therapist=booking.cast.therapist,
        start=at(day, 10),
        client=booking.cast.client,
    )
    slots = free_slots(
        booking.practice, booking.service, day, day, therapist=booking.cast.therapist, ignore=appointment
    )
    assert "10:00" in local_starts(slots)


def test_it_lists_anyone_by_time_then_by_therapist_and_picks_the_first_free(booking):
    cast, day = booking.cast, next_weekday(2)
    slots = free_slots(booking.practice, booking.service, day, day)
    # Terry joined the practice before Olive, so Terry comes first at each time.
    pairs = [(s.start.astimezone(TORONTO).strftime("%H:%M"), s.therapist_slug) for s in slots]
    assert pairs[:4] == [("09:00", "terry"), ("09:00", "olive"), ("09:30", "terry"), ("09:30", "olive")]
    anyone = free_slots(booking.practice, booking.service, day, day, first_free_only=True)
    assert {s.therapist for s in anyone} == {cast.therapist}
    actions.book_appointment(
        practice=booking.practice,
        service=booking.service,
        therapist=cast.therapist,
        start=at(day, 9),
        client=cast.client,
    )
    first = free_slots(booking.practice, booking.service, day, day, first_free_only=True)[0]
    assert (first.start, first.therapist) == (at(day, 9), cast.other_therapist)


def test_it_leaves_a_therapist_who_does_not_book_online_to_the_staff(booking):
    profile = booking.cast.other_therapist.booking_profile
    profile.bookable_online = False
    profile.save()
    day = next_weekday(2)
    online = free_slots(booking.practice, booking.service, day, day)
    assert {s.therapist for s in online} == {booking.cast.therapist}
    desk = free_slots(booking.practice, booking.service, day, day, online=False)
    assert {s.therapist for s in desk} == {booking.cast.therapist, booking.cast.other_therapist}
    assert list(therapists_offering(booking.practice, booking.service)) == [booking.cast.therapist]
    start = at(day, 9)
    assert not is_bookable(booking.practice, booking.service, booking.cast.other_therapist, start)
    assert is_bookable(booking.practice, booking.service, booking.cast.other_therapist, start, online=False)


def test_it_checks_a_late_evening_time_on_its_local_day(booking):
    # 21:00 in Toronto is the next day in UTC, when the therapist keeps ordinary hours.
    day = next_weekday(2)
    DayOverride.objects.create(therapist=booking.cast.therapist, date=day, start=time(18), end=time(23))
    assert is_bookable(booking.practice, booking.service, booking.cast.therapist, at(day, 21))
    assert not is_bookable(booking.practice, booking.service, booking.cast.therapist, at(day, 21, 15))
    # Asked at 18:00 with two hours' notice, the evening still has its times after 20:00.
    evening = local_starts(day_slots(booking, day, now=at(day, 18)))
    assert evening == ["20:00", "20:30", "21:00", "21:30", "22:00"]


def test_it_checks_a_time_against_the_rules_it_is_given(booking):
    day = next_weekday(2)
    now = at(day, 9)
    unsaved = BookingSettings(practice=booking.practice, min_notice_minutes=0, slot_step_minutes=15)
    therapist = booking.cast.therapist
    assert is_bookable(booking.practice, booking.service, therapist, at(day, 9, 15), rules=unsaved, now=now)
    # The practice's own rules: a 30-minute grid, and two hours' notice counted from `now`.
    assert not is_bookable(booking.practice, booking.service, therapist, at(day, 9, 15), now=now)
    assert not is_bookable(booking.practice, booking.service, therapist, at(day, 10), now=now)
    assert is_bookable(booking.practice, booking.service, therapist, at(day, 11), now=now)


def test_it_names_a_therapist_by_their_booking_slug_or_else_their_public_id(booking):
    cast = booking.cast
    assert therapist_slug(cast.therapist) == "terry"
    assert therapist_slug(cast.front_desk) == str(cast.front_desk.public_id)


def test_a_practice_that_never_set_its_rules_gets_the_defaults_as_its_own(booking):
    assert rules_for(booking.practice).pk == booking.rules.pk
    defaults = rules_for(booking.cast.other_practice)
    assert defaults.pk is None and defaults.practice == booking.cast.other_practice
    assert (defaults.min_notice_minutes, defaults.horizon_days) == (120, 60)


def test_it_merges_busy_times_that_touch_or_overlap_into_one(booking):
    # The staff grid draws one busy block for back-to-back appointments.
    assert _merge([(7, 8), (3, 5), (1, 3), (2, 3)]) == [[1, 5], [7, 8]]
    assert _merge([(1, 5), (2, 3)]) == [[1, 5]]


def test_it_lists_anyone_in_the_order_the_therapists_joined(booking):
    cast, day = booking.cast, next_weekday(2)
    # Olive joined first, whatever order the rows were written in.
    cast.other_therapist.__class__.objects.filter(pk=cast.other_therapist.pk).update(
        created_at=cast.therapist.created_at - timedelta(days=1)
    )
    first = free_slots(booking.practice, booking.service, day, day)[0]
    assert (first.start, first.therapist) == (at(day, 9), cast.other_therapist)


def test_its_slots_name_their_therapist_without_another_query(booking, django_assert_num_queries):
    day = next_weekday(2)
    slots = free_slots(booking.practice, booking.service, day, day)
    with django_assert_num_queries(0):
        names = {(s.therapist.user.full_name, s.therapist_slug) for s in slots}
    assert {slug for _name, slug in names} == {"terry", "olive"}


def test_it_offers_the_one_time_that_meets_a_notice_as_long_as_the_horizon(booking):
    booking.rules.min_notice_minutes = 24 * 60
    booking.rules.horizon_days = 1
    booking.rules.save()
    day = next_weekday(2)
    assert local_starts(day_slots(booking, day, now=at(day - timedelta(days=1), 10))) == ["10:00"]


def test_it_lists_every_day_of_a_range(booking):
    monday = next_weekday(0)
    slots = free_slots(booking.practice, booking.service, monday, monday + timedelta(days=2))
    days = {s.start.astimezone(TORONTO).date() for s in slots}
    assert days == {monday, monday + timedelta(days=1), monday + timedelta(days=2)}


def test_it_offers_the_time_right_after_a_half_hour_booking(booking):
    day = next_weekday(2)
    actions.book_appointment(
        practice=booking.practice,
        service=booking.short,
        therapist=booking.cast.therapist,
        start=at(day, 10),
        client=booking.cast.client,
    )
    half = local_starts(day_slots(booking, day, service=booking.short))
    assert half[:5] == ["09:00", "09:30", "10:30", "11:00", "11:30"]


def test_an_appointment_from_the_evening_before_holds_the_first_hour_after_midnight(night_hours):
    sunday = date(2027, 6, 6)
    saturday_night = datetime.combine(sunday - timedelta(days=1), time(23, 30), tzinfo=TORONTO)
    Appointment.objects.create(
        practice=night_hours.practice,
        client=night_hours.cast.client,
        therapist=night_hours.cast.therapist,
        start=saturday_night,
        end=saturday_night + timedelta(hours=2),
    )
    slots = day_slots(night_hours, sunday, now=datetime(2027, 6, 1, tzinfo=UTC))
    assert local_starts(slots) == ["01:30", "02:00", "02:30", "03:00", "03:30", "04:00"]
