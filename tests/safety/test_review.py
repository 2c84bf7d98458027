"""The practice sees the alert until someone records what was done; sessions wait until then."""

from zoneinfo import ZoneInfo

from django.urls import reverse

from bodymap.audit.models import AuditEntry
from bodymap.booking.models import Appointment
from bodymap.notes.models import SessionNote
from bodymap.safety.models import SafetyReview
from tests.safety.helpers import flagged_intake


def _session(cast):
    return Appointment.objects.get(client=cast.client)


def test_it_shows_the_alert_on_the_dashboard_of_the_owner_and_the_therapist(client, cast, as_role):
    alert = flagged_intake(client, cast.client)
    link = reverse("safety:alert", args=[alert.public_id])
    for role in ("owner", "therapist"):
        assert link in as_role(role).get(reverse("booking:dashboard")).content.decode(), role
    assert link not in as_role("other_therapist").get(reverse("booking:dashboard")).content.decode()


def test_it_marks_coming_appointments_as_needing_review(client, cast, as_role):
    alert = flagged_intake(client, cast.client)
    therapist_page = as_role("therapist").get(reverse("booking:dashboard") + "?who=me").content.decode()
    assert "needs review" in therapist_page
    desk_page = as_role("front_desk").get(reverse("booking:dashboard")).content.decode()
    assert "needs review: ask the therapist" in desk_page
    # Front desk learns nothing clinical: no alert link, no flag, no referral message.
    assert reverse("safety:alert", args=[alert.public_id]) not in desk_page
    assert "numb" not in desk_page.lower() and "emergency" not in desk_page.lower()


def test_it_keeps_the_session_from_starting_until_what_was_done_is_recorded(client, cast, as_role):
    alert = flagged_intake(client, cast.client)
    appointment = _session(cast)
    therapist = as_role("therapist")
    page = therapist.get(reverse("chart:session", args=[appointment.public_id])).content.decode()
    assert "cannot start" in page
    assert 'class="plan"' not in page and "Confirm consent before you start" not in page
    # The note cannot be opened either.
    response = therapist.get(reverse("notes:edit", args=[appointment.public_id]))
    assert response.status_code == 302 and not SessionNote.objects.filter(appointment=appointment).exists()

    response = therapist.post(
        reverse("safety:alert", args=[alert.public_id]),
        {
            "outcome": "called_client",
            "note": "Spoke to Sam; going to the emergency department now.",
            "next": reverse("chart:session", args=[appointment.public_id]),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("chart:session", args=[appointment.public_id])
    review = SafetyReview.objects.get(alert=alert)
    assert review.recorded_by == cast.therapist.user and review.outcome == "called_client"
    assert AuditEntry.objects.filter(
        subject_type="safety_alert", subject_public_id=alert.public_id, details__reviewed=True
    ).exists()
    page = therapist.get(reverse("chart:session", args=[appointment.public_id])).content.decode()
    assert "cannot start" not in page
    assert (
        reverse("safety:alert", args=[alert.public_id])
        not in therapist.get(reverse("booking:dashboard")).content.decode()
    )


def test_it_refuses_a_review_from_front_desk_and_changes_nothing(client, cast, as_role):
    alert = flagged_intake(client, cast.client)
    url = reverse("safety:alert", args=[alert.public_id])
    for role in ("front_desk", "other_therapist", "client"):
        response = as_role(role).post(url, {"outcome": "called_client", "note": "x"})
        assert response.status_code in (302, 404), role
    assert not SafetyReview.objects.filter(alert=alert).exists()
    # The same request from the therapist succeeds, so the refusals above were about who asked.
    assert as_role("therapist").post(url, {"outcome": "called_client"}).status_code == 302
    assert SafetyReview.objects.filter(alert=alert).count() == 1


def test_it_records_only_one_review_per_alert(client, cast, as_role):
    alert = flagged_intake(client, cast.client)
    url = reverse("safety:alert", args=[alert.public_id])
    as_role("therapist").post(url, {"outcome": "called_client"})
    as_role("owner").post(url, {"outcome": "appointment_cancelled"})
    assert list(SafetyReview.objects.filter(alert=alert).values_list("outcome", flat=True)) == [
        "called_client"
    ]


def test_it_asks_what_was_done_when_the_answer_is_something_else(client, cast, as_role):
    alert = flagged_intake(client, cast.client)
    response = as_role("owner").post(reverse("safety:alert", args=[alert.public_id]), {"outcome": "other"})
    assert response.status_code == 200 and "Say what was done." in response.content.decode()
    assert not SafetyReview.objects.filter(alert=alert).exists()


def test_it_never_shows_front_desk_the_alerts_clinical_content(cast, as_role):
    from tests.safety.helpers import open_alert

    alert = open_alert(cast)
    desk = as_role("front_desk")
    for url in (
        reverse("safety:alert", args=[alert.public_id]),
        reverse("chart:session", args=[_session(cast).public_id]),
    ):
        response = desk.get(url)
        assert response.status_code == 404
        assert "Numbness" not in response.content.decode()
    dashboard = desk.get(reverse("booking:dashboard")).content.decode()
    assert "needs review: ask the therapist" in dashboard and "Numbness" not in dashboard


def test_it_marks_the_appointment_on_the_calendar_for_front_desk_without_details(cast, as_role):
    from tests.safety.helpers import open_alert

    open_alert(cast)
    appointment = _session(cast)
    desk = as_role("front_desk")
    day = appointment.start.astimezone(ZoneInfo(cast.practice.timezone))
    calendar = desk.get(reverse("calendar:calendar") + f"?date={day:%Y-%m-%d}&view=day").content.decode()
    assert "needs review: ask the therapist" in calendar
    detail = desk.get(reverse("calendar:appointment", args=[appointment.public_id])).content.decode()
    assert "needs review: ask the therapist" in detail and "Numbness" not in detail


def test_it_audits_who_was_shown_the_alert_on_the_dashboard(cast, as_role):
    from tests.safety.helpers import open_alert

    alert = open_alert(cast)
    as_role("therapist").get(reverse("booking:dashboard"))
    entry = AuditEntry.objects.get(subject_type="safety_alert", action="list")
    assert entry.actor == cast.therapist.user and entry.details["shown"] == [str(alert.public_id)]
