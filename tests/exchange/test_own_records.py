"""A client downloads their own records in the portal."""

import json

from django.urls import reverse

from bodymap.audit.models import AuditEntry


def test_a_client_downloads_their_records_as_fhir(as_role, cast):
    response = as_role("client").post(reverse("portal:records"), {"format": "json"})
    assert response.status_code == 200
    bundle = json.loads(response.content)
    patients = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert [p["id"] for p in patients] == [str(cast.client.public_id)]
    assert AuditEntry.objects.filter(action="export", subject_public_id=cast.client.public_id).exists()


def test_a_client_downloads_a_readable_pdf(as_role, cast):
    response = as_role("client").post(reverse("portal:records"), {"format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_portal_page_offers_the_download(as_role, cast):
    page = as_role("client").get(reverse("portal:home")).content.decode()
    assert reverse("portal:records") in page
