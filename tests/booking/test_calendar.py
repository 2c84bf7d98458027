"""The staff calendar: who sees what, and creating, moving, cancelling and no-shows."""

from datetime import timedelta

from django.urls import reverse

from bodymap.audit.models import AuditEntry
from bodymap.booking import actions
from bodymap.booking.models import Appointment, AppointmentStatus, TimeOff
from tests.booking.conftest import TORONTO, at, next_weekday


def week_of(appointment):
    return reverse("calendar:calendar") + f"?date={appointment.start.astimezone(TORONTO):%Y-%m-%d}"


def test_it_shows_a_therapist_only_their_own_week(as_role, booking):
    cast = booking.cast
    actions.book_appointment(
        practice=cast.practice,
        service=booking.service,
        therapist=cast.other_therapist,
        start=cast.appointment.start,
        client=cast.other_client,
    )
    page = as_role("therapist").get(week_of(cast.appointment)).content.decode()
    assert "Marcus Bell" in page and "Kowalski" not in page
    assert "Times are Toronto time" in page


def test_it_shows_front_desk_the_whole_practice_without_clinical_content(as_role, booking):
    cast = booking.cast
    actions.book_appointment(
        practice=cast.practice,
        service=booking.service,
        therapist=cast.other_therapist,
        start=cast.appointment.start,
        client=cast.other_client,
    )
    http = as_role("front_desk")
    page = http.get(week_of(cast.appointment)).content.decode()
    assert "Marcus Bell" in page and "Kowalski" in page
    detail = http.get(reverse("calendar:appointment", args=[cast.appointment.public_id])).content.decode()
    assert "Clinical record" not in detail and "Marcus Bell" in detail


def test_it_narrows_the_practice_to_one_therapist_and_one_day(as_role, booking):
    cast = booking.cast
    day = cast.appointment.start.astimezone(TORONTO).date()
    TimeOff.objects.create(therapist=cast.therapist, start=at(day, 15), end=at(day, 17), reason="Dentist")
    page = (
        as_role("owner")
        .get(
            reverse("calendar:calendar"),
            {"view": "day", "date": str(day), "who": str(cast.therapist.public_id)},
        )
        .content.decode()
    )
    assert "Marcus Bell" in page and "Time off" in page and "Dentist" not in page


def test_it_lets_front_desk_book_move_and_cancel(as_role, booking):
    cast = booking.cast
    http = as_role("front_desk")
    day = next_weekday(3)
    response = http.post(
        reverse("calendar:new"),
        {
            "client": cast.client.pk,
            "service": booking.service.pk,
            "therapist": cast.therapist.pk,
            "date": str(day),
            "time": "14:00",
        },
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get(client=cast.client, start=at(day, 14))
    assert appointment.holds_until == at(day, 15, 15)
    moved = http.post(
        reverse("calendar:move", args=[appointment.public_id]),
        {"therapist": cast.other_therapist.pk, "date": str(day), "time": "16:00"},
    )
    assert moved.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.therapist, appointment.start) == (cast.other_therapist, at(day, 16))
    http.post(reverse("calendar:cancel", args=[appointment.public_id]))
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    actions_logged = AuditEntry.objects.filter(subject_public_id=appointment.public_id).values_list(
        "action", flat=True
    )
    assert sorted(actions_logged) == ["change", "change", "create"]


def test_it_refuses_staff_an_overlapping_booking_or_move(as_role, booking):
    cast = booking.cast
    http = as_role("owner")
    local = cast.appointment.start.astimezone(TORONTO)
    response = http.post(
        reverse("calendar:new"),
        {
            "client": cast.client.pk,
            "service": booking.service.pk,
            "therapist": cast.therapist.pk,
            "date": str(local.date()),
            "time": (local + timedelta(minutes=30)).strftime("%H:%M"),
        },
    )
    assert response.status_code == 200
    assert "overlaps another appointment" in response.content.decode()
    # The cast's second appointment is two hours later: move it onto the first.
    second = Appointment.objects.get(
        therapist=cast.therapist, start=cast.appointment.start + timedelta(hours=2)
    )
    refused = http.post(
        reverse("calendar:move", args=[second.public_id]),
        {"therapist": cast.therapist.pk, "date": str(local.date()), "time": local.strftime("%H:%M")},
    )
    assert refused.status_code == 400 and "overlaps another appointment" in refused.content.decode()
    second.refresh_from_db()
    assert second.start == cast.appointment.start + timedelta(hours=2)


def test_it_marks_a_no_show(as_role, booking):
    cast = booking.cast
    as_role("therapist").post(
        reverse("calendar:status", args=[cast.appointment.public_id]), {"status": "no_show"}
    )
    cast.appointment.refresh_from_db()
    assert cast.appointment.status == AppointmentStatus.NO_SHOW


def test_it_refuses_an_unknown_status(as_role, booking):
    cast = booking.cast
    response = as_role("owner").post(
        reverse("calendar:status", args=[cast.appointment.public_id]), {"status": "cancelled"}
    )
    assert response.status_code == 404
    cast.appointment.refresh_from_db()
    assert cast.appointment.status == AppointmentStatus.BOOKED


def test_it_limits_a_therapists_choice_of_therapist_to_themselves(as_role, booking):
    cast = booking.cast
    response = as_role("therapist").post(
        reverse("calendar:new"),
        {
            "client": cast.client.pk,
            "service": booking.service.pk,
            "therapist": cast.other_therapist.pk,
            "date": str(next_weekday(3)),
            "time": "14:00",
        },
    )
    assert response.status_code == 200
    assert not Appointment.objects.filter(therapist=cast.other_therapist).exists()


def test_it_pins_the_number_of_queries_of_the_week_view(as_role, booking, django_assert_max_num_queries):
    cast = booking.cast
    day = next_weekday(0)
    for i in range(10):
        actions.book_appointment(
            practice=cast.practice,
            service=booking.service,
            therapist=cast.therapist if i % 2 else cast.other_therapist,
            start=at(day + timedelta(days=i // 2), 9 + (i % 2) * 2),
            client=cast.client,
        )
    http = as_role("front_desk")
    with django_assert_max_num_queries(12):
        response = http.get(reverse("calendar:calendar"), {"date": str(day)})
    assert response.content.decode().count("cal-item--booked") == 10
