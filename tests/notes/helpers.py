"""Writing a SOAP note through the page, as a therapist would."""

from datetime import timedelta

from django.urls import reverse

from bodymap.booking.models import Appointment
from bodymap.consent.actions import record_consent


def management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "100",
    }


def note_data(*, treatment=(), findings=(), pain=(), psfs=(), **soap):
    data = {
        "subjective": "Low back stiff after driving.",
        "objective": "",
        "assessment": "",
        "plan": "",
        **soap,
    }
    for prefix, rows in (("treatment", treatment), ("findings", findings), ("pain", pain), ("psfs", psfs)):
        data.update(management(prefix, len(rows)))
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = value
    return data


def past_appointment(cast, client=None, days_ago=1, therapist=None):
    start = cast.appointment.start - timedelta(days=days_ago + 1)
    return Appointment.objects.create(
        practice=cast.practice,
        client=client or cast.client,
        therapist=therapist or cast.therapist,
        start=start,
        end=start + timedelta(hours=1),
        status="completed",
    )


def confirm(appointment, **decisions):
    for region in ("chest", "abdomen", "gluteal", "inner_thigh"):
        record_consent(
            client=appointment.client,
            region=region,
            decision=decisions.get(region, "declined"),
            method="in_person",
            appointment=appointment,
            signature=appointment.client.full_name,
        )


def post_note(http, appointment, action="save", **rows):
    data = note_data(**rows)
    data["action"] = action
    if action == "sign":
        data["confirm"] = "on"
    return http.post(reverse("notes:edit", args=[appointment.public_id]), data)
