"""A note tells the truth about time: signed only once its appointment has started."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from bodymap.booking.models import Appointment
from bodymap.notes import actions
from bodymap.notes.models import Addendum, SessionNote
from tests.intake.helpers import fill_intake
from tests.notes.helpers import confirm, post_note

TORONTO = ZoneInfo("America/Toronto")
# A Wednesday morning, fixed: nothing here depends on today's date or the day of the week.
NOW = datetime(2031, 3, 12, 9, 0, tzinfo=TORONTO)
LOW_BACK = {
    "region": "low_back",
    "side": "both",
    "minutes": "20",
    "techniques": ["petrissage"],
    "contact": "skin",
}
GLUTEAL = {**LOW_BACK, "region": "gluteal"}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def later_today(cast, client, frozen):
    """An appointment two hours from the frozen now, with a signed intake that consents to gluteal work."""
    fill_intake(client, cast.client, consent={"gluteal": "granted"})
    start = NOW + timedelta(hours=2)
    return Appointment.objects.create(
        practice=cast.practice,
        client=cast.client,
        therapist=cast.therapist,
        start=start,
        end=start + timedelta(hours=1),
        service_name="Massage therapy, 60 minutes",
    )


def test_it_refuses_to_sign_a_note_before_its_appointment_starts(as_role, later_today):
    response = post_note(as_role("therapist"), later_today, "sign", treatment=[LOW_BACK])
    assert response.status_code == 200
    assert "has not started yet" in response.content.decode()
    note = SessionNote.objects.get(appointment=later_today)
    assert not note.is_signed
    later_today.refresh_from_db()
    assert later_today.status == "booked"


def test_it_lets_a_note_be_saved_before_the_appointment(as_role, later_today):
    response = post_note(as_role("therapist"), later_today, "save", treatment=[LOW_BACK])
    assert response.status_code == 302
    assert SessionNote.objects.get(appointment=later_today).treatment[0]["region"] == "low_back"


def test_it_signs_once_the_appointment_has_started_and_completes_it(as_role, later_today, frozen):
    frozen.move_to(later_today.start + timedelta(minutes=70))
    response = post_note(as_role("therapist"), later_today, "sign", treatment=[LOW_BACK])
    assert response.status_code == 302
    assert SessionNote.objects.get(appointment=later_today).is_signed
    later_today.refresh_from_db()
    assert later_today.status == "completed"


def test_signing_never_marks_a_future_appointment_completed(as_role, later_today, rf, cast):
    post_note(as_role("therapist"), later_today)  # the first save starts the draft
    note = SessionNote.objects.get(appointment=later_today)
    request = rf.post("/")
    request.user = cast.therapist.user
    with pytest.raises(actions.NotYetStarted):
        actions.sign_note(note=note, cleaned=_cleaned([LOW_BACK]), request=request)
    later_today.refresh_from_db()
    note.refresh_from_db()
    assert later_today.status == "booked" and not note.is_signed


def test_signing_refuses_a_row_on_a_region_without_consent_for_this_appointment(
    as_role, later_today, frozen, rf, cast
):
    """The practice asks for confirmation before each treatment and none was given today: the action
    itself refuses, whatever reached it."""
    cast.practice.confirm_consent_each_treatment = True
    cast.practice.save(update_fields=["confirm_consent_each_treatment"])
    frozen.move_to(later_today.start + timedelta(minutes=70))
    post_note(as_role("therapist"), later_today)  # the first save starts the draft
    note = SessionNote.objects.get(appointment=later_today)
    request = rf.post("/")
    request.user = cast.therapist.user
    with pytest.raises(actions.NoConsentForWork) as refused:
        actions.sign_note(
            note=note, cleaned=_cleaned([LOW_BACK, {**GLUTEAL, "minutes": 15}]), request=request
        )
    assert refused.value.regions == ["gluteal"]
    note.refresh_from_db()
    assert not note.is_signed and note.treatment == []
    # Without the gluteal row the same signature goes through.
    actions.sign_note(note=note, cleaned=_cleaned([LOW_BACK]), request=request)
    note.refresh_from_db()
    assert note.is_signed


def test_the_action_checks_findings_as_well_as_treatment(as_role, later_today, frozen, cast):
    """Palpation is contact too: the action refuses a finding on a region without consent, whatever
    the form let through, and reads whichever kinds of rows it is given."""
    cast.practice.confirm_consent_each_treatment = True
    cast.practice.save(update_fields=["confirm_consent_each_treatment"])
    frozen.move_to(later_today.start + timedelta(minutes=70))
    post_note(as_role("therapist"), later_today)  # the first save starts the draft
    note = SessionNote.objects.get(appointment=later_today)
    assert actions.unconsented_regions(note, {"treatment": [], "findings": [{"region": "gluteal"}]}) == [
        "gluteal"
    ]
    assert actions.unconsented_regions(note, {"treatment": [{"region": "gluteal"}]}) == ["gluteal"]
    assert actions.unconsented_regions(note, {"treatment": [{"region": "low_back"}], "findings": []}) == []


def test_signing_refuses_skin_contact_over_the_drape_and_avoided_regions(as_role, cast, client, frozen, rf):
    """Consent over the drape only and a region the client asked to avoid bind the signing action too,
    not only the form: the same rows pass once the contact is over the drape and the foot is gone."""
    fill_intake(client, cast.client, consent={"gluteal": "over_drape"}, avoid=["foot"])
    start = NOW + timedelta(hours=1)
    appointment = Appointment.objects.create(
        practice=cast.practice,
        client=cast.client,
        therapist=cast.therapist,
        start=start,
        end=start + timedelta(hours=1),
        service_name="Massage therapy, 60 minutes",
    )
    confirm(appointment, gluteal="over_drape")  # the practice confirms consent before each treatment
    frozen.move_to(start + timedelta(minutes=70))
    post_note(as_role("therapist"), appointment)  # the first save starts the draft
    note = SessionNote.objects.get(appointment=appointment)
    request = rf.post("/")
    request.user = cast.therapist.user
    foot = {**LOW_BACK, "region": "foot"}
    with pytest.raises(actions.NoConsentForWork) as refused:
        actions.sign_note(note=note, cleaned=_cleaned([LOW_BACK, GLUTEAL, foot]), request=request)
    assert refused.value.regions == ["foot", "gluteal"]
    note.refresh_from_db()
    assert not note.is_signed
    draped = {**GLUTEAL, "contact": "over_drape"}
    actions.sign_note(note=note, cleaned=_cleaned([LOW_BACK, draped]), request=request)
    note.refresh_from_db()
    assert note.is_signed and [row["region"] for row in note.treatment] == ["low_back", "gluteal"]


def test_the_refusal_names_every_region_without_consent():
    # The message is what the log and an API caller see; the regions are what the page lists.
    refused = actions.NoConsentForWork(["chest", "gluteal"])
    assert str(refused) == "no consent for this appointment on: chest, gluteal"
    assert refused.regions == ["chest", "gluteal"]


def test_it_refuses_an_addendum_on_an_unsigned_note(as_role, later_today, frozen, rf):
    therapist = as_role("therapist")
    frozen.move_to(later_today.start + timedelta(minutes=70))
    post_note(therapist, later_today, "save", treatment=[LOW_BACK])
    note = SessionNote.objects.get(appointment=later_today)
    url = reverse("notes:addendum", args=[note.public_id])
    assert therapist.post(url, {"text": "Added later.", "confirm": "on"}).status_code == 404
    assert not Addendum.objects.filter(note=note).exists()
    request = rf.post("/")
    request.user = note.therapist.user
    with pytest.raises(ValueError, match="addenda are for signed notes"):
        actions.add_addendum(note=note, text="Added later.", request=request)
    # Once signed, the same request adds the addendum.
    post_note(therapist, later_today, "sign", treatment=[LOW_BACK])
    assert therapist.post(url, {"text": "Added later.", "confirm": "on"}).status_code == 302
    assert Addendum.objects.filter(note=note).count() == 1


def _cleaned(treatment):
    rows = [
        {
            "region": r["region"],
            "side": r["side"],
            "minutes": int(r["minutes"]),
            "techniques": r["techniques"],
            "contact": r["contact"],
        }
        for r in treatment
    ]
    return {
        "subjective": "Stiff after driving.",
        "objective": "",
        "assessment": "",
        "plan": "",
        "self_care": [],
        "findings": [],
        "treatment": rows,
        "pain": [],
        "psfs": [],
    }
