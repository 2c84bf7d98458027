"""A client fills in the intake, step by step, from a signed link."""

import re
import time
from unittest import mock

from django.core import signing
from django.urls import reverse

from bodymap.audit.models import AuditEntry
from bodymap.consent.models import ConsentRecord
from bodymap.intake.links import intake_path
from bodymap.intake.models import Intake
from tests.intake.helpers import fill_intake, step_url

FOUNDING = {
    "low_back__mid": {"pain": 6, "symptoms": ["stiffness"], "weeks": 3},
    "posterior_thigh__left": {"pain": 5, "symptoms": ["radiating", "worse_sitting"]},
}


def test_it_stores_the_submitted_intake_in_the_contracts_format(client, cast):
    response = fill_intake(
        client,
        cast.client,
        complaints=FOUNDING,
        conditions=["hypertension"],
        consent={"gluteal": "over_drape"},
        avoid=["foot"],
    )
    assert response.status_code == 302 and response["Location"].endswith("/done/")
    intake = Intake.objects.get(client=cast.client)
    assert intake.is_submitted and intake.signature == "Sam Rivera"
    contract = intake.contract
    assert contract["version"] == 2
    assert contract["session_minutes"] == 60  # the client's next appointment is an hour
    assert contract["complaints"] == [
        {"region": "low_back", "pain": 6, "symptoms": ["stiffness"], "weeks": 3},
        {"region": "posterior_thigh", "side": "left", "pain": 5, "symptoms": ["radiating", "worse_sitting"]},
    ]
    assert contract["consent"] == {
        "chest": "declined",
        "abdomen": "declined",
        "gluteal": "over_drape",
        "inner_thigh": "declined",
    }
    assert contract["avoid"] == ["foot"] and contract["conditions"] == ["hypertension"]
    assert contract["stress"] == 7 and contract["pressure"] == "medium"
    assert contract["screening"]["saddle_numbness"] is False
    assert contract["age"] >= 40


def test_it_records_one_consent_per_sensitive_region_with_what_was_shown(client, cast):
    fill_intake(client, cast.client, complaints=FOUNDING, consent={"gluteal": "over_drape"})
    records = {r.region: r for r in ConsentRecord.objects.filter(client=cast.client)}
    assert set(records) == {"chest", "abdomen", "gluteal", "inner_thigh"}
    gluteal = records["gluteal"]
    assert gluteal.decision == "over_drape"
    assert gluteal.signature == "Sam Rivera"
    assert gluteal.method == "link"
    # The explanation was tailored to a low back complaint, and its hash proves the wording.
    assert "tug of war" in gluteal.explanation
    # The risks and what saying no means are part of what was read, so part of what is kept.
    assert "tingling down your leg" in gluteal.explanation
    assert "If you say no, we work your low back" in gluteal.explanation
    assert gluteal.explanation_sha256 == ConsentRecord.hash_text(gluteal.explanation)
    assert gluteal.user_agent is not None and gluteal.ip_address == "127.0.0.1"


def test_it_audits_every_consent_decision_and_the_submission(client, cast):
    fill_intake(client, cast.client)
    consents = AuditEntry.objects.filter(subject_type="consent", action="create")
    assert consents.count() == 4
    assert {e.details["region"] for e in consents} == {"chest", "abdomen", "gluteal", "inner_thigh"}
    assert (
        AuditEntry.objects.filter(subject_type="intake", action="create", details__submitted=True).count()
        == 1
    )


def test_it_merges_matching_left_and_right_complaints(client, cast):
    fill_intake(
        client,
        cast.client,
        complaints={
            "gluteal__left": {"pain": 4, "symptoms": ["ache"]},
            "gluteal__right": {"pain": 4, "symptoms": ["ache"]},
            "shoulder__left": {"pain": 3},
            "shoulder__right": {"pain": 5},
        },
    )
    complaints = Intake.objects.get(client=cast.client).contract["complaints"]
    assert {"region": "gluteal", "side": "both", "pain": 4, "symptoms": ["ache"]} in complaints
    assert {"region": "shoulder", "side": "left", "pain": 3} in complaints
    assert {"region": "shoulder", "side": "right", "pain": 5} in complaints


def test_it_shows_errors_beside_the_field_and_keeps_what_was_typed(client, cast):
    client.get(intake_path(cast.client))
    response = client.post(
        step_url(cast.client, "body"),
        {"low_back__mid__on": "on", "low_back__mid__symptoms": ["stiffness"], "low_back__mid__weeks": "-2"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose how much it hurts, from 0 to 10." in page
    assert "Ensure this value is greater than or equal to 0." in page
    assert 'value="-2"' in page
    assert 'name="low_back__mid__symptoms" value="stiffness"' in page and "checked" in page
    # What was typed is in the draft, so leaving now loses nothing.
    draft = Intake.objects.get(client=cast.client).draft
    assert draft["raw"]["body"]["low_back__mid__weeks"] == "-2"


def test_it_saves_a_draft_as_the_client_types(client, cast):
    client.get(intake_path(cast.client))
    response = client.post(
        step_url(cast.client, "about"),
        {"first_name": "Sam", "last_name": "Rivera", "phone": "416-555-01", "autosave": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204
    # A new visit (another browser) picks up the same values.
    from django.test import Client

    page = Client().get(step_url(cast.client, "about")).content.decode()
    assert 'value="416-555-01"' in page


def test_it_requires_every_safety_question(client, cast):
    client.get(intake_path(cast.client))
    response = client.post(step_url(cast.client, "screening"), {"fever": "no"})
    assert response.content.decode().count("Please answer yes or no.") == 8


def test_it_requires_a_decision_for_every_sensitive_region(client, cast):
    client.get(intake_path(cast.client))
    response = client.post(step_url(cast.client, "consent"), {"gluteal": "granted"})
    page = response.content.decode()
    assert page.count("Please choose yes, over the sheet only, or no.") == 3
    # The one answer given is kept while the others are asked for.
    assert re.search(r'name="gluteal" value="granted"[^>]*checked', page)
    assert not re.search(r'name="chest" value="[a-z_]+"[^>]*checked', page)


def test_it_tailors_the_consent_explanation_to_the_clients_complaints(client, cast):
    client.get(intake_path(cast.client))
    client.post(step_url(cast.client, "body"), {"low_back__mid__on": "on", "low_back__mid__pain": "6"})
    page = client.get(step_url(cast.client, "consent")).content.decode()
    assert "For what you told us:" in page
    assert "tug of war" in page
    assert "ask us to stop, at any moment" in page or "stop at any moment" in page.lower()


def test_it_refuses_a_signature_that_is_not_the_clients_name(client, cast):
    response = fill_intake(client, cast.client, signature="Someone Else")
    assert response.status_code == 200
    assert "Type your full name as the practice has it, including Rivera." in response.content.decode()
    assert not Intake.objects.submitted().exists()


def test_it_sends_an_unfinished_intake_back_to_the_missing_step(client, cast):
    path = intake_path(cast.client)
    client.get(path)
    # The same link's review step, not a fresh link: links carry the second they were made.
    token = path.rstrip("/").rsplit("/", 1)[1]
    review = reverse("intake:step", args=[token, "review"])
    response = client.post(review, {"signature": "Sam Rivera", "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == review.replace("/review/", "/about/")


def test_it_rejects_a_forged_or_expired_link(client, cast, settings):
    token = intake_path(cast.client).rstrip("/").rsplit("/", 1)[1]
    assert client.get(reverse("intake:start", args=[token + "x"])).status_code == 404
    settings.BODYMAP_INTAKE_LINK_DAYS = 14
    fifteen_days_later = time.time() + 15 * 86400
    with mock.patch.object(signing.time, "time", return_value=fifteen_days_later):
        assert client.get(reverse("intake:start", args=[token])).status_code == 404
    assert client.get(reverse("intake:start", args=[token])).status_code == 302


def test_it_offers_a_new_intake_once_one_is_submitted(client, cast):
    fill_intake(client, cast.client)
    page = client.get(intake_path(cast.client)).content.decode()
    assert "We have your intake" in page
    response = client.post(intake_path(cast.client))
    assert response.status_code == 302
    assert Intake.objects.filter(client=cast.client).count() == 2
