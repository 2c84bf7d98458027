"""The practice's booking rules, set from the booking setup."""

from django.urls import reverse

from bodymap.audit.models import AuditEntry
from bodymap.booking.models import BookingSettings

RULES = {
    "online_booking": "on",
    "min_notice_minutes": "60",
    "horizon_days": "90",
    "slot_step_minutes": "15",
    "cancellation_window_hours": "48",
    "reminder_hours": "24",
    "waitlist_hold_minutes": "120",
}


def test_it_saves_the_rules_and_audits_the_changed_fields(as_role, booking):
    response = as_role("owner").post(reverse("calendar:setup_rules"), RULES)
    assert response.status_code == 302
    rules = BookingSettings.objects.get(practice=booking.practice)
    assert (rules.min_notice_minutes, rules.horizon_days, rules.slot_step_minutes) == (60, 90, 15)
    entry = AuditEntry.objects.get(subject_type="booking_rules")
    assert entry.action == "change"
    assert set(entry.details["fields"]) == {
        "min_notice_minutes",
        "horizon_days",
        "slot_step_minutes",
        "cancellation_window_hours",
    }


def test_it_creates_the_rules_when_the_practice_has_none(as_role, cast):
    response = as_role("owner").post(reverse("calendar:setup_rules"), {**RULES, "online_booking": ""})
    assert response.status_code == 302
    assert BookingSettings.objects.get(practice=cast.practice).online_booking is False
    assert AuditEntry.objects.get(subject_type="booking_rules").action == "create"


def test_it_keeps_the_rules_within_bounds(as_role, booking):
    response = as_role("owner").post(
        reverse("calendar:setup_rules"),
        {**RULES, "horizon_days": "0", "slot_step_minutes": "1000", "reminder_hours": "x"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_horizon_days_error">Enter at least 1.' in page
    assert 'id="id_slot_step_minutes_error">Enter at most 240.' in page
    assert 'id="id_reminder_hours_error">Enter a whole number.' in page
    assert 'value="1000"' in page
    assert BookingSettings.objects.get(practice=booking.practice).horizon_days == 60
