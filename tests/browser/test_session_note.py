"""A therapist runs today's session: confirms consent, charts findings and treatment, signs, adds an
addendum, downloads the PDF; and is stopped from charting work a client declined."""

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from bodymap.accounts.models import Membership, Role, User
from bodymap.booking.models import Appointment
from bodymap.clients.models import Client
from bodymap.demo import practice as demo
from tests.browser.conftest import browser_test
from tests.two_factor import app_for, give_code

pytestmark = browser_test
TORONTO = ZoneInfo("America/Toronto")


@pytest.fixture
def today(db):
    demo.load()
    sam = Client.objects.get(email="sam.rivera@example.com")
    tom = Client.objects.get(email="tom.lindqvist@example.com")
    # Sessions that have already started (a note is signed only after its start), placed relative to
    # now and kept within today, with a therapist whose diary is otherwise empty.
    now = datetime.now(TORONTO).replace(second=0, microsecond=0)
    midnight = now.replace(hour=0, minute=0)
    sam_start = max(now - timedelta(minutes=25), midnight)
    locum = Membership.objects.create(
        practice=sam.practice,
        user=User.objects.create_user(email="locum@breathe.example.com", full_name="Noor Locum"),
        role=Role.THERAPIST,
        provides_treatment=True,
    )
    appointments = {}
    for client, start in ((sam, sam_start), (tom, sam_start - timedelta(minutes=55))):
        appointments[client.last_name] = Appointment.objects.create(
            practice=client.practice,
            client=client,
            therapist=locum,
            start=start,
            end=start + timedelta(minutes=50),
            service_name="Massage therapy, 50 minutes",
        )
    return appointments


def sign_in(page):
    # Maya owns the practice: she signs in with her password and her authenticator app's code.
    app = app_for("maya@breathe.example.com")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("maya@breathe.example.com")
    page.get_by_label("Password").fill(demo.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    give_code(page, app)


def confirm_consent(page, gluteal, client_name):
    expect(page.get_by_role("heading", name="Confirm consent before you start")).to_be_visible()
    box = page.locator("#confirm")
    for region in ("chest", "abdomen", "gluteal", "inner_thigh"):
        value = gluteal if region == "gluteal" else "declined"
        box.locator(f'input[name="{region}"][value="{value}"]').check()
    box.locator("#id_signature").fill(client_name)
    box.get_by_role("button", name="Record consent for this session").click()
    expect(page.get_by_text("Consent for this session is recorded.")).to_be_visible()


def test_it_charts_a_session_from_consent_to_signed_pdf(page_factory, screenshot, today):
    page = page_factory()
    sign_in(page)
    page.goto("/dashboard/?who=all")
    when = today["Rivera"].start.astimezone(TORONTO).strftime("%H:%M")
    row = page.locator(".appt", has_text="Sam Rivera").filter(has_text=when)
    row.get_by_role("link", name="Open session").click()
    confirm_consent(page, "granted", "Sam Rivera")
    screenshot(page, "note-1-session")
    page.get_by_role("link", name="Write the note").click()
    expect(page.get_by_role("heading", name=re.compile("SOAP note"))).to_be_visible()
    expect(page.get_by_label("Subjective — what the client reports")).to_contain_text("low back: pain 6/10")

    # A finding placed on the body map: tapping the left buttock fills the next finding row.
    page.locator('[data-note-map] .figure--back [data-region="gluteal"][data-side="left"]').click()
    expect(page.locator("#id_findings-0-region")).to_have_value("gluteal")
    expect(page.locator("#id_findings-0-side")).to_have_value("left")
    page.locator("#id_findings-0-muscle").select_option("piriformis")
    page.locator("#id_findings-0-tension").select_option("3")
    page.locator("#id_findings-0-trigger_points").check()

    page.locator("#id_treatment-0-region").select_option("low_back")
    page.locator("#id_treatment-0-minutes").fill("25")
    page.locator('input[name="treatment-0-techniques"][value="petrissage"]').check()
    page.locator("#id_treatment-1-region").select_option("gluteal")
    page.locator("#id_treatment-1-minutes").fill("20")
    page.locator('input[name="treatment-1-techniques"][value="trigger_point"]').check()
    page.locator("#id_pain-0-rating").select_option("4")
    # The activity Sam named at earlier sessions is asked again, as the functional scale requires.
    expect(page.locator("#id_psfs-0-activity")).to_have_value("Sitting through a work meeting")
    page.locator("#id_psfs-0-score").select_option("7")
    page.get_by_label("Assessment").fill("Left piriformis tender with a referral to the posterior thigh.")
    screenshot(page, "note-2-editor")
    page.get_by_label("I confirm this note is accurate").check()
    page.get_by_role("button", name="Sign and lock").click()
    expect(page.get_by_text("Signed and locked", exact=True)).to_be_visible()
    expect(page.get_by_text("Left piriformis tender")).to_be_visible()

    page.locator("#id_text").fill("Client phoned: less leg pain the next morning.")
    page.get_by_label("Sign this addendum").check()
    page.get_by_role("button", name="Sign and add").click()
    expect(page.get_by_text("Client phoned: less leg pain the next morning.")).to_be_visible()
    screenshot(page, "note-3-signed-with-addendum")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    content = open(download.value.path(), "rb").read()  # noqa: SIM115 - read once, closed by GC
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Left piriformis tender" in text
    assert "Buttock (gluteal region): 20 min, on the skin" in text
    assert "Client phoned: less leg pain the next morning." in text


def test_it_stops_gluteal_work_for_a_client_who_declined(page_factory, screenshot, today):
    page = page_factory()
    sign_in(page)
    page.goto(f"/appointments/{today['Lindqvist'].public_id}/session/")
    confirm_consent(page, "declined", "Tom Lindqvist")
    page.get_by_role("link", name="Write the note").click()
    page.get_by_label("Assessment").fill("Shoulder guarding on the left.")
    page.locator("#id_treatment-0-region").select_option("gluteal")
    page.locator("#id_treatment-0-minutes").fill("10")
    page.get_by_role("button", name="Save draft").click()
    error = page.get_by_text("No consent for the buttock (gluteal region) in this session")
    expect(error).to_be_visible()
    expect(page.get_by_label("Assessment")).to_have_value("Shoulder guarding on the left.")
    error.scroll_into_view_if_needed()
    screenshot(page, "note-4-declined-error", full_page=False)
