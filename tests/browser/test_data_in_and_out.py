"""The owner imports a CSV with a bad row, sees the error, fixes it and imports; a client downloads
their own records from the portal."""

import json
import re

from django.core import mail
from playwright.sync_api import expect

from bodymap.clients.models import Client
from bodymap.demo import practice as demo
from tests.browser.conftest import DESKTOP, browser_test
from tests.browser.test_staff_journey import sign_in

pytestmark = browser_test

HEADER = "First Name,Last Name,Email,Mobile,Date of Birth\n"
ROWS = "Ana,Lima,ana.lima@example.com,416-555-0101,1985-02-03\nCara,Diaz,cara.diaz@example.com,,{dob}\n"


def _upload(page, text):
    page.goto("/data/import/")
    page.get_by_label("The file holds").select_option(label="Clients")
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "from-old-system.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_role("button", name="Upload and check the columns").click()
    expect(page.get_by_role("heading", name="Check the import")).to_be_visible(timeout=20_000)


def test_the_owner_fixes_a_bad_row_and_imports(page_factory, screenshot):
    demo.load()
    owner = page_factory(viewport=DESKTOP)
    sign_in(owner, "maya@breathe.example.com")
    expect(owner.get_by_role("heading", name=re.compile("^Hello"))).to_be_visible(timeout=20_000)

    _upload(owner, HEADER + ROWS.format(dob="04/03/1990"))
    expect(owner.get_by_label("Date of birth")).to_have_value("4")  # the column was recognised
    owner.get_by_role("button", name="Import").click()
    alert = owner.locator("#check-result")
    expect(alert).to_contain_text("nothing was imported", timeout=20_000)
    expect(alert.locator(".import-error")).to_contain_text("day/month or month/day")
    screenshot(owner, "import-bad-row")
    assert not Client.objects.filter(last_name="Lima").exists()

    _upload(owner, HEADER + ROWS.format(dob="1990-03-04"))
    owner.get_by_role("button", name="Check every row (dry run)").click()
    expect(owner.get_by_text("Every row is ready")).to_be_visible(timeout=20_000)
    owner.get_by_role("button", name="Import").click()
    expect(owner.get_by_role("heading", name="Imported")).to_be_visible(timeout=20_000)
    assert Client.objects.get(last_name="Diaz").date_of_birth.isoformat() == "1990-03-04"


def test_a_client_downloads_their_records(page_factory, screenshot, run_tasks):
    demo.load()
    sam = Client.objects.get(first_name="Sam", last_name="Rivera")
    page = page_factory(viewport=DESKTOP)
    page.goto("/portal/sign-in/")
    page.get_by_label("Your email address").fill(sam.email)
    page.get_by_role("button", name="Email me a sign-in link").click()
    link = re.search(r"http://\S+/portal/sign-in/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Download my records").click()
    expect(page.get_by_role("heading", name="Download my records")).to_be_visible(timeout=20_000)
    screenshot(page, "portal-download-records")
    with page.expect_download(timeout=60_000) as pdf:
        page.get_by_role("button", name="Download a summary to read (PDF)").click()
    with open(pdf.value.path(), "rb") as data:
        assert data.read(4) == b"%PDF"
    with page.expect_download(timeout=60_000) as fhir:
        page.get_by_role("button", name=re.compile("FHIR JSON")).click()
    with open(fhir.value.path(), encoding="utf-8") as data:
        bundle = json.load(data)
    patients = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert [p["id"] for p in patients] == [str(sam.public_id)]
