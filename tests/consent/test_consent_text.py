"""Consent a client can read and sign: the whole text shown is the text stored and hashed."""

import html
import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from bodymap.audit.models import AuditEntry
from bodymap.consent.models import ConsentRecord
from tests.intake.helpers import fill_intake, step_url


def shown_text(page: str, region: str) -> str:
    """The words of one region's consent text on a page, tags removed."""
    block = re.search(rf'<div class="consent-text" data-region="{region}">(.*?)\n</div>', page, re.S).group(1)
    return normalise(html.unescape(re.sub(r"<[^>]+>", " ", block)))


def normalise(text: str) -> str:
    return " ".join(re.sub(r"(?m)^- ", "", text).split())


def test_it_stores_exactly_the_consent_text_the_intake_showed(client, cast):
    fill_intake(client, cast.client, consent={"gluteal": "granted"})
    record = ConsentRecord.objects.get(client=cast.client, region="gluteal")
    # The consent page of a new draft with the same answers shows the same words.
    client.post(reverse("intake:start", args=[step_url(cast.client, "about").split("/")[2]]))
    client.post(
        step_url(cast.client, "body"),
        {"low_back__mid__on": "on", "low_back__mid__pain": "6", "low_back__mid__symptoms": ["stiffness"]},
    )
    page = client.get(step_url(cast.client, "consent")).content.decode()
    assert shown_text(page, "gluteal") == normalise(record.explanation)
    assert record.explanation_sha256 == ConsentRecord.hash_text(record.explanation)


def test_the_consent_text_speaks_to_the_client_with_risks_and_the_right_to_stop(client, cast):
    fill_intake(client, cast.client)
    text = ConsentRecord.objects.get(client=cast.client, region="gluteal").explanation
    for heading in (
        "Why it may help you:",
        "How you stay covered:",
        "Risks:",
        "Your choice:",
        "Your right to stop:",
    ):
        assert heading in text
    assert "tingling" in text and "sore" in text
    assert not ("drape" in text and "sheet" in text)  # one word for the sheet


def test_it_changes_one_regions_consent_from_the_portal_with_a_signature(as_role, cast, client):
    fill_intake(client, cast.client, consent={"gluteal": "declined"})
    http = as_role("client")
    url = reverse("portal:change_consent", args=["gluteal"])
    page = http.get(url).content.decode()
    response = http.post(url, {"decision": "over_drape", "signature": "Sam Rivera"})
    assert response.status_code == 302
    latest = ConsentRecord.objects.filter(client=cast.client, region="gluteal").latest("given_at", "id")
    assert latest.decision == "over_drape" and latest.method == "portal" and latest.signature == "Sam Rivera"
    assert latest.appointment is None and latest.supersedes is not None
    assert shown_text(page, "gluteal") == normalise(latest.explanation)
    assert latest.explanation_sha256 == ConsentRecord.hash_text(latest.explanation)
    assert AuditEntry.objects.filter(subject_type="consent", subject_public_id=latest.public_id).exists()
    # Other regions are untouched, and no new intake was needed.
    assert cast.client.intakes.count() == 1
    assert ConsentRecord.objects.filter(client=cast.client, region="chest").count() == 1


def test_it_refuses_a_portal_consent_signed_with_another_name(as_role, cast, client):
    fill_intake(client, cast.client, consent={"gluteal": "declined"})
    before = ConsentRecord.objects.count()
    response = as_role("client").post(
        reverse("portal:change_consent", args=["gluteal"]),
        {"decision": "granted", "signature": "Someone Else"},
    )
    assert response.status_code == 200 and "including Rivera" in response.content.decode()
    assert ConsentRecord.objects.count() == before


def test_a_minors_portal_consent_records_the_guardian(as_role, cast):
    today = timezone.localdate()
    cast.client.date_of_birth = today.replace(year=today.year - 13) - timedelta(days=1)
    cast.client.save(update_fields=["date_of_birth"])
    url = reverse("portal:change_consent", args=["gluteal"])
    http = as_role("client")
    refused = http.post(url, {"decision": "granted", "signature": "Maria Rivera"})
    assert refused.status_code == 200  # the guardian must confirm they are the guardian and present
    http.post(url, {"decision": "granted", "signature": "Maria Rivera", "guardian_present": "on"})
    record = ConsentRecord.objects.get(client=cast.client, region="gluteal")
    assert record.guardian_name == "Maria Rivera"


def test_it_ignores_an_unknown_region_in_the_portal(as_role, cast):
    assert as_role("client").get(reverse("portal:change_consent", args=["elbow"])).status_code == 404
