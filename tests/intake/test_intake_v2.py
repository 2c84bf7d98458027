"""The intake asks what contract version 2 needs, and a minor's intake asks for a guardian."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from bodymap import knowledge
from bodymap.consent.models import ConsentRecord
from bodymap.intake.links import intake_path
from bodymap.intake.models import Intake
from tests.intake.helpers import fill_intake, step_url

HEALTH = {
    "medications": ["antiplatelet", "pain_relief_today"],
    "medications_text": "Ibuprofen this morning",
    "allergies": ["nut_oils", "other"],
    "allergies_text": "Plasters",
    "pregnant": "yes",
    "pregnancy_weeks": "24",
    "pregnancy_complications": "no",
    "surgery_0_region": "knee",
    "surgery_0_side": "left",
    "surgery_0_weeks": "8",
    "skin_0_region": "calf",
    "skin_0_side": "right",
    "skin_0_kind": "bruise",
    "implant_0_kind": "pacemaker",
    "implant_0_region": "chest",
}


def test_it_stores_the_version_2_health_history(client, cast):
    fill_intake(client, cast.client, health=HEALTH, conditions=["heart_disease"], goals="relaxation")
    contract = Intake.objects.submitted().get(client=cast.client).contract
    assert contract["version"] == 2
    assert contract["medications"] == ["antiplatelet", "pain_relief_today"]
    assert contract["medications_text"] == "Ibuprofen this morning"
    assert contract["allergies"] == ["nut_oils", "other"] and contract["allergies_text"] == "Plasters"
    assert contract["pregnancy"] == {"weeks": 24, "complications": False}
    assert "pregnancy" in contract["conditions"] and "heart_disease" in contract["conditions"]
    assert contract["surgeries"] == [{"region": "knee", "side": "left", "weeks_ago": 8}]
    assert contract["skin"] == [{"region": "calf", "side": "right", "kind": "bruise"}]
    assert contract["implants"] == [{"kind": "pacemaker", "region": "chest", "side": "both"}]
    assert contract["goals"] == "relaxation"
    assert knowledge.validate_intake(contract) == []
    # The planner reads it: the allergy becomes a product warning for the therapist.
    assert knowledge.plan(contract)["product_warnings"]


def test_it_asks_how_many_weeks_pregnant(client, cast):
    fill_intake(client, cast.client)  # the first intake; the next one below is a new draft
    client.post(reverse("intake:start", args=[step_url(cast.client, "about").split("/")[2]]))
    response = client.post(step_url(cast.client, "health"), {"pregnant": "yes"})
    assert response.status_code == 200
    assert "How many weeks pregnant are you?" in response.content.decode()


def test_it_still_displays_and_plans_an_intake_signed_under_version_1(client, cast, as_role):
    v1 = {
        "version": 1,
        "session_minutes": 60,
        "pressure": "medium",
        "complaints": [{"region": "low_back", "pain": 6, "symptoms": ["stiffness"]}],
        "stress": 3,
        "screening": {},
        "conditions": [],
        "consent": {"gluteal": "granted"},
        "avoid": [],
    }
    Intake.objects.create(
        practice=cast.practice, client=cast.client, contract=v1, submitted_at=cast.appointment.start
    )
    page = as_role("therapist").get(reverse("chart:chart", args=[cast.client.public_id])).content.decode()
    assert 'class="plan"' in page


def _minor(cast):
    today = timezone.localdate()  # twelve years old whatever today is
    cast.client.date_of_birth = date(today.year - 12, 1, 1)
    cast.client.save(update_fields=["date_of_birth"])
    return cast.client


GUARDIAN = {"guardian_name": "Maria Rivera", "guardian_consents": "on", "guardian_present": "on"}


def test_it_asks_a_minors_guardian_for_name_consent_and_presence(client, cast):
    minor = _minor(cast)
    client.get(intake_path(minor))
    decisions = {"chest": "declined", "abdomen": "declined", "gluteal": "granted", "inner_thigh": "declined"}
    response = client.post(step_url(minor, "consent"), decisions)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Parent or guardian" in page and "A parent or guardian must fill in this part." in page
    # The same answers with the guardian's go through.
    assert client.post(step_url(minor, "consent"), {**decisions, **GUARDIAN}).status_code == 302


def test_it_records_the_guardian_on_a_minors_intake_and_consent(client, cast):
    minor = _minor(cast)
    fill_intake(client, minor, consent_extra=GUARDIAN, signature="Maria Rivera")
    intake = Intake.objects.submitted().get(client=minor)
    assert intake.contract["guardian"] == {"name": "Maria Rivera", "consents": True, "present": True}
    assert intake.signature == "Maria Rivera"
    gluteal = ConsentRecord.objects.get(client=minor, region="gluteal")
    assert gluteal.guardian_name == "Maria Rivera"


def test_it_refuses_a_minors_intake_signed_by_someone_other_than_the_guardian(client, cast):
    minor = _minor(cast)
    response = fill_intake(client, minor, consent_extra=GUARDIAN, signature="Sam Rivera")
    assert response.status_code == 200
    assert "parent or guardian" in response.content.decode()
    assert not Intake.objects.submitted().filter(client=minor).exists()


def test_it_shows_the_therapist_the_health_history_as_the_client_wrote_it(client, cast, as_role):
    fill_intake(client, cast.client, health=HEALTH)
    page = as_role("therapist").get(reverse("chart:chart", args=[cast.client.public_id])).content.decode()
    facts = page[page.index('id="health-facts"') :]
    assert "Ibuprofen this morning" in facts and "Plasters" in facts
    assert "24 weeks" in facts and "Pacemaker" in facts


def test_it_shows_the_client_their_health_history_before_signing(client, cast):
    from tests.intake.helpers import NO_FLAGS, body_data

    client.get(intake_path(cast.client))
    client.post(step_url(cast.client, "about"), {"first_name": "Sam", "last_name": "Rivera"})
    client.post(step_url(cast.client, "health"), HEALTH)
    client.post(step_url(cast.client, "screening"), NO_FLAGS)
    client.post(step_url(cast.client, "body"), body_data({"low_back__mid": {"pain": 4}}))
    page = client.get(step_url(cast.client, "review")).content.decode()
    assert "Ibuprofen this morning" in page and "24 weeks" in page
