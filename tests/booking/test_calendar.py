"""The staff calendar: who sees what, and creating, moving, cancelling and no-shows."""

from datetime import timedelta

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def desk_booking(booking, client, therapist, day, time, **extra):
    return {
        "client": str(client.public_id),
        "service": str(booking.service.public_id),
        "therapist": str(therapist.public_id),
        "date": str(day),
        "time": time,
        **extra,
    }


def test_it_lets_front_desk_book_move_and_cancel(as_role, booking):
    cast = booking.cast
    http = as_role("front_desk")
    day = next_weekday(3)
    response = http.post(
        reverse("calendar:new"), desk_booking(booking, cast.client, cast.therapist, day, "14:00")
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get(client=cast.client, start=at(day, 14))
    assert appointment.holds_until == at(day, 15, 15)
    moved = http.post(
        reverse("calendar:move", args=[appointment.public_id]),
        {"therapist": str(cast.other_therapist.public_id), "date": str(day), "time": "15:45"},
    )
    assert moved.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.therapist, appointment.start) == (cast.other_therapist, at(day, 15, 45))
    # Cancelling asks first, and wants a reason.
    cancel = reverse("calendar:cancel", args=[appointment.public_id])
    assert "Cancel this appointment?" in http.get(cancel).content.decode()
    assert http.post(cancel, {"reason": ""}).status_code == 400
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    http.post(cancel, {"reason": "Client called: unwell"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.status_reason == "Client called: unwell"
    entries = AuditEntry.objects.filter(subject_public_id=appointment.public_id).order_by("id")
    assert [e.action for e in entries] == ["create", "change", "change"]
    assert entries.last().details["fields"] == ["status", "status_reason"]


def test_it_books_a_new_client_typed_at_the_desk(as_role, booking):
    cast = booking.cast
    day = next_weekday(2)
    data = {**desk_booking(booking, cast.client, cast.therapist, day, "11:00"), "client": "new"}
    data.update(first_name="Nadia", last_name="Kham", email="nadia@example.com", phone="")
    response = as_role("front_desk").post(reverse("calendar:new"), data)
    assert response.status_code == 302
    appointment = Appointment.objects.get(start=at(day, 11))
    assert appointment.client.display_name == "Nadia Kham"


def test_it_creates_nobody_when_the_new_clients_time_is_taken(as_role, booking):
    cast = booking.cast
    day = next_weekday(2)
    actions.book_appointment(
        practice=cast.practice,
        service=booking.service,
        therapist=cast.therapist,
        start=at(day, 11),
        client=cast.client,
    )
    data = {**desk_booking(booking, cast.client, cast.therapist, day, "11:00"), "client": "new"}
    data.update(first_name="Nadia", last_name="Kham", email="", phone="")
    response = as_role("front_desk").post(reverse("calendar:new"), data)
    assert response.status_code == 400
    assert "This time overlaps Sam Rivera with" in response.content.decode()
    assert not cast.practice.clients.filter(first_name="Nadia").exists()


def test_it_offers_only_the_free_times_of_the_day(as_role, booking):
    cast = booking.cast
    day = next_weekday(2)
    page = (
        as_role("front_desk")
        .get(
            reverse("calendar:desk_times"),
            {
                "service": str(booking.service.public_id),
                "therapist": str(cast.therapist.public_id),
                "date": str(day),
            },
        )
        .content.decode()
    )
    # 9:00–12:00 and 13:00–17:00 with a 60-minute service and a 15-minute buffer, every 30 minutes.
    assert 'value="09:00"' in page and 'value="15:30"' in page
    assert 'value="11:30"' not in page and 'value="16:30"' not in page and 'value="08:00"' not in page


def test_it_books_outside_working_hours_only_with_a_reason(as_role, booking):
    cast = booking.cast
    http = as_role("front_desk")
    day = next_weekday(2)
    data = desk_booking(booking, cast.client, cast.therapist, day, "", other_time="07:00")
    warned = http.post(reverse("calendar:new"), data)
    assert warned.status_code == 400
    assert "outside Therapist" in warned.content.decode() or "working hours" in warned.content.decode()
    assert not Appointment.objects.filter(start=at(day, 7)).exists()
    booked = http.post(
        reverse("calendar:new"), {**data, "outside_hours_reason": "Only time before her flight"}
    )
    assert booked.status_code == 302
    appointment = Appointment.objects.get(start=at(day, 7))
    assert appointment.outside_hours_reason == "Only time before her flight"
    entry = AuditEntry.objects.get(subject_public_id=appointment.public_id, action="create")
    assert entry.details["outside_hours"] is True


def test_it_names_the_clash_and_offers_the_next_free_times(as_role, booking):
    cast = booking.cast
    http = as_role("front_desk")
    day = next_weekday(2)
    actions.book_appointment(
        practice=cast.practice,
        service=booking.service,
        therapist=cast.therapist,
        start=at(day, 9),
        client=cast.client,
    )
    response = http.post(
        reverse("calendar:new"),
        desk_booking(booking, cast.other_client, cast.therapist, day, "", other_time="09:30"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "This time overlaps Sam Rivera with" in page and "09:00–10:00" in page
    assert "Next free times" in page and "10:30" in page


def test_it_hides_the_clients_name_from_a_therapist_who_may_not_see_them(as_role, booking):
    from bodymap.booking.staff.desk import describe_clash

    cast = booking.cast
    day = next_weekday(2)
    appointment, _created = actions.book_appointment(
        practice=cast.practice,
        service=booking.service,
        therapist=cast.therapist,
        start=at(day, 9),
        client=cast.client,
    )
    said = describe_clash(cast.other_therapist, cast.therapist, at(day, 9), at(day, 10))
    assert "Sam Rivera" not in said and "another appointment" in said and "09:00–10:00" in said
    assert "Sam Rivera" in describe_clash(cast.front_desk, cast.therapist, at(day, 9), at(day, 10))


def test_it_refuses_staff_an_overlapping_move_and_says_with_what(as_role, booking):
    cast = booking.cast
    http = as_role("owner")
    local = cast.appointment.start.astimezone(TORONTO)
    # The cast's second appointment is two hours later: move it onto the first.
    second = Appointment.objects.get(
        therapist=cast.therapist, start=cast.appointment.start + timedelta(hours=2)
    )
    move = {
        "therapist": str(cast.therapist.public_id),
        "date": str(local.date()),
        "time": local.strftime("%H:%M"),
        "outside_hours_reason": "Weekend favour",
    }
    refused = http.post(reverse("calendar:move", args=[second.public_id]), move)
    assert refused.status_code == 400 and "This time overlaps Marcus Bell with" in refused.content.decode()
    # Dropped on the grid: back to the grid with the same reason.
    grid = reverse("calendar:calendar") + f"?view=day&date={local.date()}"
    dropped = http.post(
        reverse("calendar:move", args=[second.public_id]), {**move, "next": grid}, follow=True
    )
    assert "This time overlaps Marcus Bell with" in dropped.content.decode()
    second.refresh_from_db()
    assert second.start == cast.appointment.start + timedelta(hours=2)


def test_it_marks_a_no_show_after_asking_for_a_reason(as_role, booking):
    cast = booking.cast
    url = reverse("calendar:no_show", args=[cast.appointment.public_id])
    http = as_role("therapist")
    # The one-tap status button no longer marks a no-show.
    assert (
        http.post(
            reverse("calendar:status", args=[cast.appointment.public_id]), {"status": "no_show"}
        ).status_code
        == 404
    )
    http.post(url, {"reason": "No answer at 10:15"})
    cast.appointment.refresh_from_db()
    assert cast.appointment.status == AppointmentStatus.NO_SHOW
    assert cast.appointment.status_reason == "No answer at 10:15"


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
        desk_booking(booking, cast.client, cast.other_therapist, next_weekday(3), "14:00"),
    )
    assert response.status_code == 400
    assert not Appointment.objects.filter(therapist=cast.other_therapist).exists()


def test_it_finds_clients_by_part_of_a_name_within_what_the_user_may_see(as_role, booking):
    url = reverse("calendar:desk_clients")
    assert "Sam Rivera" in as_role("front_desk").get(url, {"q": "riv"}).content.decode()
    assert "Sam Rivera" not in as_role("other_therapist").get(url, {"q": "riv"}).content.decode()
    assert "Sam Rivera" not in as_role("front_desk").get(url, {"q": "r"}).content.decode()


def test_it_draws_therapist_columns_with_hours_breaks_and_time_off(as_role, booking):
    cast = booking.cast
    day = next_weekday(1)
    TimeOff.objects.create(
        therapist=cast.other_therapist, start=at(day, 14), end=at(day, 17), reason="Dentist"
    )
    newcomer = cast.practice.clients.create(first_name="Nadia", last_name="Kham")
    actions.book_appointment(
        practice=cast.practice,
        service=booking.service,
        therapist=cast.therapist,
        start=at(day, 9),
        client=newcomer,
    )
    page = (
        as_role("front_desk")
        .get(reverse("calendar:calendar"), {"view": "day", "date": str(day)})
        .content.decode()
    )
    assert page.count('class="tg-col"') == 3  # the owner treats too
    assert "tg-break" in page and "tg-off" in page and "Dentist" not in page
    assert "new client" in page and "intake missing" in page
    assert f"?therapist={cast.other_therapist.public_id}&amp;date={day}&amp;time=09:00" in page


def test_it_shows_only_the_therapists_chosen(as_role, booking):
    cast = booking.cast
    day = next_weekday(1)
    page = (
        as_role("owner")
        .get(
            reverse("calendar:calendar"),
            {"view": "day", "date": str(day), "who": [str(cast.other_therapist.public_id)]},
        )
        .content.decode()
    )
    assert page.count('class="tg-col"') == 1


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
    with django_assert_max_num_queries(16):
        response = http.get(reverse("calendar:calendar"), {"date": str(day), "view": "week"})
    assert response.content.decode().count("tg-appt--booked") == 10


def test_it_opens_the_desk_form_on_the_gap_clicked(as_role, booking):
    cast = booking.cast
    day = next_weekday(2)
    page = (
        as_role("front_desk")
        .get(
            reverse("calendar:new"),
            {"therapist": str(cast.other_therapist.public_id), "date": str(day), "time": "09:00"},
        )
        .content.decode()
    )
    assert 'value="09:00" checked' in page
    assert f'value="{cast.other_therapist.public_id}" selected' in page


def test_it_checks_in_a_booked_appointment_but_never_a_cancelled_one(as_role, booking):
    cast = booking.cast
    http = as_role("owner")
    booked = Appointment.objects.get(client=cast.client)
    response = http.post(reverse("calendar:status", args=[booked.public_id]), {"status": "checked_in"})
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CHECKED_IN
    actions.cancel_appointment(appointment=cast.appointment, actor=cast.owner, reason="Client called")
    cancelled = reverse("calendar:status", args=[cast.appointment.public_id])
    assert http.post(cancelled, {"status": "checked_in"}).status_code == 404
    cast.appointment.refresh_from_db()
    assert cast.appointment.status == AppointmentStatus.CANCELLED
    assert not AuditEntry.objects.filter(
        subject_public_id=cast.appointment.public_id, details__status="checked_in"
    ).exists()


def test_a_second_cancellation_changes_nothing(booking, django_capture_on_commit_callbacks):
    # Two people (or two tabs) cancelling the same appointment: the second finds it cancelled.
    cast = booking.cast
    stale = Appointment.objects.get(pk=cast.appointment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        first = actions.cancel_appointment(appointment=cast.appointment, actor=cast.owner, reason="Unwell")
    with django_capture_on_commit_callbacks(execute=True):
        again = actions.cancel_appointment(appointment=stale, actor=cast.front_desk, reason="Twice")
    assert (again.cancelled_at, again.status_reason) == (first.cancelled_at, "Unwell")
    assert len(mail.outbox) == 1
    changes = AuditEntry.objects.filter(subject_public_id=cast.appointment.public_id, action="change")
    assert changes.count() == 1


def test_it_escapes_what_clients_typed_in_the_grid(as_role, booking):
    cast = booking.cast
    day = next_weekday(1)
    typed = cast.practice.clients.create(first_name='<b>Zoe"', last_name="O'Neil & Co")
    appointment, _created = actions.book_appointment(
        practice=cast.practice,
        service=booking.service,
        therapist=cast.therapist,
        start=at(day, 9),
        client=typed,
    )
    page = (
        as_role("front_desk")
        .get(reverse("calendar:calendar"), {"view": "day", "date": str(day)})
        .content.decode()
    )
    assert "<b>Zoe" not in page
    assert 'data-client="&lt;b&gt;Zoe&quot; O&#x27;Neil &amp; Co"' in page
    assert f'href="{reverse("calendar:appointment", args=[appointment.public_id])}"' in page
    assert f'data-move="{reverse("calendar:move", args=[appointment.public_id])}"' in page


def test_it_draws_a_busier_day_with_the_same_queries(as_role, booking, django_assert_num_queries):
    cast = booking.cast
    day = next_weekday(1)
    http = as_role("front_desk")
    url = reverse("calendar:calendar")

    def book(hour, therapist):
        client = cast.practice.clients.create(first_name=f"Client{hour}", last_name=f"Of{therapist.pk}")
        actions.book_appointment(
            practice=cast.practice,
            service=booking.service,
            therapist=therapist,
            start=at(day, hour),
            client=client,
        )

    book(9, cast.therapist)
    http.get(url)  # the first request of a session also loads what later ones reuse
    with CaptureQueriesContext(connection) as quiet:
        http.get(url, {"view": "day", "date": str(day)})
    for hour in (11, 13, 15):
        book(hour, cast.therapist)
        book(hour, cast.other_therapist)
    with django_assert_num_queries(len(quiet)):
        response = http.get(url, {"view": "day", "date": str(day)})
    assert response.content.decode().count("tg-appt--booked") == 7
