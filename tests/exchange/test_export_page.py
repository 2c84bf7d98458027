"""The owner's "Export everything" page."""

import io
import zipfile

from django.urls import reverse

from bodymap.audit.models import AuditEntry


def test_the_owner_downloads_everything_as_one_zip(as_role, cast):
    response = as_role("owner").post(reverse("exchange:export"), {"pdfs": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="breathe-export-')
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    assert {"csv/clients.csv", "csv/appointments.csv", "csv/consents.csv", "fhir/bundle.json"} <= names
    clients = archive.read("csv/clients.csv").decode("utf-8-sig")
    assert "Rivera" in clients and "Foreign" not in clients  # only this practice
    assert AuditEntry.objects.filter(action="export", subject_type="practice", actor=cast.owner.user).exists()
