"""Day changes and time off: added in the practice's zone, stored in UTC, removed, reflected in
availability, with a warning about the appointments they strand."""

from datetime import UTC, time, timedelta

from django.urls import reverse

from bodymap.audit.models import AuditEntry
from bodymap.booking.availability import free_slots
from bodymap.booking.models import Appointment, AppointmentStatus, DayOverride, TimeOff
from tests.booking.conftest import at, next_weekday


def _schedule(member):
    return reverse("calendar:setup_therapist", args=[member.public_id])


def _add_time_off(http, member, start, end, reason="", **kwargs):
    return http.post(
        reverse("calendar:setup_time_off_add", args=[member.public_id]),
        {"off-start": start, "off-end": end, "off-reason": reason},
        **kwargs,
    )


def _starts(booking, day):
    cast = booking.cast
    return [s.start for s in free_slots(cast.practice, booking.service, day, day, therapist=cast.therapist)]


def test_it_adds_time_off_in_the_practice_zone_and_closes_those_slots(as_role, booking):
    cast = booking.cast
    day = next_weekday(2)
    assert at(day, 10) in _starts(booking, day)
    response = _add_time_off(as_role("front_desk"), cast.therapist, f"{day}T10:00", f"{day}T12:00", "Course")
    assert response.status_code == 302 and response["Location"] == _schedule(cast.therapist)
    block = TimeOff.objects.get(therapist=cast.therapist)
    assert block.start == at(day, 10) and block.end == at(day, 12)
    assert block.start.tzinfo is not None and block.start.astimezone(UTC).hour in (14, 15)
    starts = _starts(booking, day)
    # 9:00 goes too: its turnover buffer would run into the time off.
    assert [s for s in starts if at(day, 9) <= s < at(day, 12)] == []
    assert at(day, 13) in starts
    entry = AuditEntry.objects.get(subject_type="time_off")
    assert entry.action == "create" and entry.actor == cast.front_desk.user
    assert entry.details["fields"] == ["start", "end", "reason"] and "Course" not in str(entry.details)
    page = as_role("therapist").get(_schedule(cast.therapist)).content.decode()
    assert "Times are Toronto time" in page and "Course" in page


def test_it_removes_time_off_and_frees_the_slots(as_role, booking):
    cast = booking.cast
    day = next_weekday(2)
    block = TimeOff.objects.create(therapist=cast.therapist, start=at(day, 9), end=at(day, 17))
    assert _starts(booking, day) == []
    response = as_role("therapist").post(reverse("calendar:setup_time_off_remove", args=[block.public_id]))
    assert response.status_code == 302
    assert not TimeOff.objects.exists() and at(day, 9) in _starts(booking, day)
    entry = AuditEntry.objects.get(subject_type="time_off", subject_public_id=block.public_id)
    assert entry.action == "change" and entry.details["change"] == "removed"


def test_it_checks_time_off_beside_each_field(as_role, booking):
    cast = booking.cast
    day = next_weekday(2)
    http = as_role("owner")
    response = _add_time_off(http, cast.therapist, f"{day}T12:00", f"{day}T10:00")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_off-end_error">The time off must end after it starts.' in page
    assert f'value="{day}T12:00"' in page
    past = day - timedelta(days=30)
    page = _add_time_off(http, cast.therapist, f"{past}T09:00", f"{past}T10:00").content.decode()
    assert 'id="id_off-end_error">This time off is already over' in page
    page = _add_time_off(http, cast.therapist, "", "soon").content.decode()
    assert 'id="id_off-start_error">Enter when the time off starts.' in page
    assert 'id="id_off-end_error">Enter a date and time.' in page
    # 2:30 on the spring-forward night does not exist in Toronto.
    page = _add_time_off(http, cast.therapist, "2030-03-10T02:30", "2030-03-10T05:00").content.decode()
    assert 'id="id_off-start_error"' in page and "Toronto time" in page
    assert not TimeOff.objects.exists()


def test_it_warns_about_appointments_inside_new_time_off(as_role, booking):
    cast = booking.cast
    Appointment.objects.filter(practice=cast.practice).update(status=AppointmentStatus.CANCELLED)
    day = next_weekday(3)
    Appointment.objects.create(
        practice=cast.practice,
        client=cast.client,
        therapist=cast.therapist,
        start=at(day, 14),
        end=at(day, 15),
    )
    response = _add_time_off(
        as_role("front_desk"), cast.therapist, f"{day}T13:00", f"{day}T17:00", follow=True
    )
    page = response.content.decode()
    assert "1 booked appointment now falls outside the working hours or inside time off" in page
    assert "Sam Rivera" in page and "during time off" in page
    assert TimeOff.objects.count() == 1


def test_it_closes_a_day_and_opens_it_again(as_role, booking):
    cast = booking.cast
    day = next_weekday(1)
    http = as_role("front_desk")
    url = reverse("calendar:setup_day_change_add", args=[cast.therapist.public_id])
    assert http.post(url, {"change-date": str(day), "change-closed": "on"}).status_code == 302
    change = DayOverride.objects.get(therapist=cast.therapist, date=day)
    assert change.start is None and _starts(booking, day) == []
    entry = AuditEntry.objects.get(subject_type="day_change", action="create")
    assert entry.details["fields"] == ["date"]
    again = http.post(url, {"change-date": str(day), "change-start": "10:00", "change-end": "12:00"})
    assert 'id="id_change-date_error">There is already a change on this date' in again.content.decode()
    http.post(reverse("calendar:setup_day_change_remove", args=[change.public_id]))
    assert not DayOverride.objects.exists() and at(day, 9) in _starts(booking, day)
    assert AuditEntry.objects.get(subject_type="day_change", action="change").details["change"] == "removed"


def test_it_sets_other_hours_on_one_day(as_role, booking):
    cast = booking.cast
    day = next_weekday(6)  # a Sunday: no weekly hours
    response = as_role("therapist").post(
        reverse("calendar:setup_day_change_add", args=[cast.therapist.public_id]),
        {"change-date": str(day), "change-start": "10:00", "change-end": "12:00"},
    )
    assert response.status_code == 302
    assert DayOverride.objects.get(date=day).end == time(12)
    assert _starts(booking, day) == [at(day, 10), at(day, 10, 30), at(day, 11)]


def test_it_checks_day_changes_beside_each_field(as_role, booking):
    cast = booking.cast
    url = reverse("calendar:setup_day_change_add", args=[cast.therapist.public_id])
    response = as_role("owner").post(
        url, {"change-date": "2001-01-01", "change-start": "12:00", "change-end": "10:00"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_change-date_error">Choose today or a later date.' in page
    assert 'id="id_change-end_error">The day must end after it starts.' in page
    assert 'value="2001-01-01"' in page
    page = as_role("owner").post(url, {"change-date": str(next_weekday(2))}).content.decode()
    assert 'id="id_change-start_error">Enter the hours that day, or tick Not working.' in page
    assert not DayOverride.objects.exists()


def test_it_keeps_time_off_reasons_from_front_desk(as_role, cast):
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from bodymap.booking.models import TimeOff

    start = timezone.now() + timedelta(days=3)
    TimeOff.objects.create(
        therapist=cast.therapist, start=start, end=start + timedelta(hours=2), reason="Hospital appointment"
    )
    url = reverse("calendar:setup_therapist", args=[cast.therapist.public_id])
    assert "Hospital appointment" in as_role("therapist").get(url).content.decode()
    assert "Hospital appointment" in as_role("owner").get(url).content.decode()
    page = as_role("front_desk").get(url).content.decode()
    assert "Hospital appointment" not in page and "not shown" in page
