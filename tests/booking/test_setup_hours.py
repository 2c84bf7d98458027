"""Weekly working hours: one form for the week, checked, saved in one go, reflected in availability."""

from datetime import time

from django.urls import reverse

from bodymap.audit.models import AuditEntry
from bodymap.booking.availability import free_slots
from bodymap.booking.models import Appointment, AppointmentStatus, WorkingHours
from tests.booking.conftest import at, next_weekday


def week(**days):
    """Form data for a week: days={0: ("09:00", "17:00", "12:00", "13:00")}; other days closed."""
    data = {}
    for weekday in range(7):
        times = days.get(f"d{weekday}")
        if times:
            data[f"day{weekday}-works"] = "on"
            for name, value in zip(("start", "end", "break_start", "break_end"), times, strict=False):
                data[f"day{weekday}-{name}"] = value
    return data


def _url(member):
    return reverse("calendar:setup_hours", args=[member.public_id])


def _clear_the_casts_appointments(cast):
    Appointment.objects.filter(practice=cast.practice).update(status=AppointmentStatus.CANCELLED)


def test_it_replaces_the_week_and_opens_new_slots(as_role, booking):
    cast = booking.cast
    saturday = next_weekday(5)
    assert free_slots(cast.practice, booking.service, saturday, saturday, therapist=cast.therapist) == []
    response = as_role("therapist").post(
        _url(cast.therapist),
        week(d0=("09:00", "17:00", "12:00", "13:00"), d5=("10:00", "14:00")),
    )
    assert response.status_code == 302
    rows = list(WorkingHours.objects.filter(therapist=cast.therapist).order_by("weekday"))
    assert [(r.weekday, r.start, r.end, r.break_start) for r in rows] == [
        (0, time(9), time(17), time(12)),
        (5, time(10), time(14), None),
    ]
    slots = free_slots(cast.practice, booking.service, saturday, saturday, therapist=cast.therapist)
    assert [s.start for s in slots] == [
        at(saturday, h, m) for h, m in ((10, 0), (10, 30), (11, 0), (11, 30), (12, 0), (12, 30), (13, 0))
    ]
    tuesday = next_weekday(1)
    assert free_slots(cast.practice, booking.service, tuesday, tuesday, therapist=cast.therapist) == []
    # The other therapist's week is untouched.
    assert WorkingHours.objects.filter(therapist=cast.other_therapist).count() == 5


def test_it_audits_the_changed_fields_not_the_times(as_role, booking):
    cast = booking.cast
    as_role("owner").post(
        _url(cast.therapist),
        week(**{f"d{d}": ("09:00", "17:00", "12:00", "13:00") for d in range(4)}, d4=("09:00", "15:00")),
    )
    entry = AuditEntry.objects.get(subject_type="working_hours")
    assert entry.subject_public_id == cast.therapist.public_id and entry.actor == cast.owner.user
    assert entry.details["fields"] == ["break_end", "break_start", "end"]
    assert entry.details["weekdays"] == [4]
    assert "15:00" not in str(entry.details)


def test_it_shows_each_mistake_beside_its_field_and_keeps_what_was_typed(as_role, booking):
    cast = booking.cast
    response = as_role("therapist").post(
        _url(cast.therapist),
        week(
            d0=("17:00", "09:00"),
            d1=("09:00", "17:00", "08:00", "09:30"),
            d2=("09:00", "17:00", "12:00"),
            d3=("", ""),
            d4=("09:00", "17:00", "13:00", "12:00"),
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_day0-end_error">The day must end after it starts.' in page
    assert 'id="id_day1-break_start_error">The break must fall inside the working day.' in page
    assert 'id="id_day2-break_end_error">Give both ends of the break, or neither.' in page
    assert 'id="id_day3-start_error">Enter when the day starts, or untick Working.' in page
    assert 'id="id_day4-break_end_error">The break must end after it starts.' in page
    assert 'name="day1-break_start" value="08:00"' in page
    assert WorkingHours.objects.filter(therapist=cast.therapist).count() == 5
    assert not AuditEntry.objects.filter(subject_type="working_hours").exists()


def test_it_warns_about_appointments_left_outside_the_new_hours(as_role, booking):
    cast = booking.cast
    _clear_the_casts_appointments(cast)
    wednesday = next_weekday(2)
    Appointment.objects.create(
        practice=cast.practice,
        client=cast.client,
        therapist=cast.therapist,
        start=at(wednesday, 10),
        end=at(wednesday, 11),
    )
    http = as_role("therapist")
    response = http.post(
        _url(cast.therapist), week(**{f"d{d}": ("09:00", "17:00") for d in (0, 1, 3, 4)}), follow=True
    )
    page = response.content.decode()
    assert "1 booked appointment now falls outside the working hours" in page
    assert "Sam Rivera" in page and "outside working hours" in page
    # Still booked: the change of hours moved nobody.
    assert Appointment.objects.get(client=cast.client, start=at(wednesday, 10)).status == "booked"


def test_it_prefills_the_current_week(as_role, booking):
    page = as_role("owner").get(_url(booking.cast.therapist)).content.decode()
    assert 'name="day0-start" value="09:00"' in page and 'name="day0-break_end" value="13:00"' in page
    assert "Toronto time" in page
