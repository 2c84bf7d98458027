"""The therapist's chart and session page: the plan honours consent as it stands now."""

import re

from django.urls import reverse

from bodymap.audit.models import AuditEntry
from bodymap.consent.models import ConsentRecord
from bodymap.intake.models import Intake
from tests.intake.helpers import fill_intake

FOUNDING = {
    "low_back__mid": {"pain": 6, "symptoms": ["stiffness"]},
    "posterior_thigh__left": {"pain": 5, "symptoms": ["radiating", "worse_sitting"]},
}


def planned_regions(page):
    return dict(re.findall(r'class="plan-item" data-region="([a-z_]+)" data-contact="([a-z_]+)"', page))


def excluded_regions(page):
    return re.findall(r'class="exclusion" data-region="([a-z_]+)"', page)


def test_it_plans_gluteal_work_over_the_drape_and_no_abdominal_work(as_role, cast, client):
    fill_intake(
        client, cast.client, complaints=FOUNDING, consent={"gluteal": "over_drape", "abdomen": "declined"}
    )
    page = as_role("therapist").get(reverse("chart:chart", args=[cast.client.public_id])).content.decode()
    plan = planned_regions(page)
    assert plan["gluteal"] == "over_drape"
    assert "abdomen" not in plan
    assert "piriformis" in page


def test_it_drops_gluteal_work_when_the_client_withdraws(as_role, cast, client):
    fill_intake(client, cast.client, complaints=FOUNDING, consent={"gluteal": "over_drape"})
    as_role("client").post(reverse("portal:withdraw", args=["gluteal"]))
    page = as_role("therapist").get(reverse("chart:chart", args=[cast.client.public_id])).content.decode()
    assert "gluteal" not in planned_regions(page)
    assert "gluteal" in excluded_regions(page)
    assert "Consent can be given later" in page


def test_it_shows_a_red_flag_banner_and_no_plan(as_role, cast, client):
    fill_intake(client, cast.client, screening={"saddle_numbness": "yes"})
    page = as_role("owner").get(reverse("chart:chart", args=[cast.client.public_id])).content.decode()
    assert "Do not treat: refer for urgent medical care" in page
    assert planned_regions(page) == {}


def test_it_audits_viewing_the_intake_consent_and_plan(as_role, cast, client):
    fill_intake(client, cast.client)
    as_role("therapist").get(reverse("chart:chart", args=[cast.client.public_id]))
    viewed = set(
        AuditEntry.objects.filter(action="view", actor=cast.therapist.user).values_list(
            "subject_type", flat=True
        )
    )
    assert {"intake", "consent", "plan"} <= viewed


def test_it_downloads_the_intake_json_and_audits_the_export(as_role, cast, client):
    fill_intake(client, cast.client, complaints=FOUNDING)
    intake = Intake.objects.get(client=cast.client)
    response = as_role("owner").get(
        reverse("chart:intake_json", args=[cast.client.public_id, intake.public_id])
    )
    assert response["Content-Type"] == "application/json"
    assert response.json() == intake.contract
    assert AuditEntry.objects.filter(action="export", subject_public_id=intake.public_id).exists()


def test_it_keeps_sensitive_regions_off_the_session_plan_until_consent_is_confirmed(as_role, cast, client):
    fill_intake(client, cast.client, complaints=FOUNDING, consent={"gluteal": "granted"})
    appointment = cast.client.appointments.get()
    http = as_role("therapist")
    url = reverse("chart:session", args=[appointment.public_id])
    page = http.get(url).content.decode()
    assert "Confirm consent before you start" in page
    assert "gluteal" not in planned_regions(page)

    response = http.post(
        url,
        {
            "form": "confirm",
            "gluteal": "granted",
            "chest": "declined",
            "abdomen": "declined",
            "inner_thigh": "declined",
            "signature": "Sam Rivera",
        },
    )
    assert response.status_code == 302
    page = http.get(url).content.decode()
    assert "Confirm consent before you start" not in page
    assert planned_regions(page)["gluteal"] == "skin"
    confirmation = ConsentRecord.objects.get(appointment=appointment, region="gluteal")
    assert confirmation.method == "in_person" and confirmation.recorded_by == cast.therapist.user


def test_it_takes_a_region_off_the_session_after_a_check_in(as_role, cast, client):
    fill_intake(client, cast.client, complaints=FOUNDING, consent={"gluteal": "granted"})
    appointment = cast.client.appointments.get()
    http = as_role("therapist")
    url = reverse("chart:session", args=[appointment.public_id])
    http.post(
        url,
        {
            "form": "confirm",
            "gluteal": "granted",
            "chest": "declined",
            "abdomen": "declined",
            "inner_thigh": "declined",
            "signature": "Sam Rivera",
        },
    )
    http.post(url, {"form": "check_in", "region": "gluteal", "note": "client asked to stop gluteal work"})
    page = http.get(url).content.decode()
    assert "gluteal" not in planned_regions(page)
    assert "client asked to stop gluteal work" in page
    # Only this session: standing consent is unchanged for the next appointment.
    chart = http.get(reverse("chart:chart", args=[cast.client.public_id])).content.decode()
    assert planned_regions(chart)["gluteal"] == "skin"


def test_it_explains_a_missing_confirmation_answer(as_role, cast, client):
    fill_intake(client, cast.client)
    appointment = cast.client.appointments.get()
    page = (
        as_role("therapist")
        .post(
            reverse("chart:session", args=[appointment.public_id]),
            {"form": "confirm", "gluteal": "granted", "signature": ""},
        )
        .content.decode()
    )
    assert "Ask the client and choose an answer." in page
    assert "This field is required." in page
    assert not ConsentRecord.objects.filter(appointment=appointment).exists()


def test_it_prints_a_handout_with_self_care_and_education(as_role, cast, client):
    fill_intake(client, cast.client, complaints=FOUNDING, consent={"gluteal": "granted"})
    page = as_role("therapist").get(reverse("chart:handout", args=[cast.client.public_id])).content.decode()
    assert "Self-care for Sam" in page
    assert "Knee-to-chest stretch" in page
    assert "Do you massage the buttocks?" in page
    assert "Sources:" in page


def test_it_opens_the_what_to_expect_page_with_the_gluteal_question(client, db):
    page = client.get(reverse("what_to_expect")).content.decode()
    first = re.search(r"<h2>([^<]+)</h2>", page).group(1)
    assert first == "Do you massage the buttocks?"
    assert "Smoll" in page and "not supported" in page
