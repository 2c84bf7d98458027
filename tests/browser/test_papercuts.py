"""What clients and staff see, checked in the browser and kept as screenshots: the intake's review
page with every finished step marked done, a signed note's PDF, and a booking email."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
from playwright.sync_api import expect

from bodymap.accounts.models import Membership, Role, User
from bodymap.booking import emails
from bodymap.booking.models import Appointment
from bodymap.clients.models import Client
from bodymap.demo import practice as demo
from bodymap.intake.links import intake_path
from tests.browser.conftest import SCREENSHOTS, browser_test
from tests.browser.test_intake_journey import sign_in_staff
from tests.intake.helpers import NO_FLAGS, body_data, step_url
from tests.notes.helpers import confirm

pytestmark = browser_test
TORONTO = ZoneInfo("America/Toronto")


@pytest.fixture
def practice(db):
    return demo.load()


def test_the_intake_review_marks_every_finished_step_done(page_factory, screenshot, practice, client):
    newcomer = Client.objects.get(email="lucia.moreno@example.com")
    page = page_factory()
    page.goto(intake_path(newcomer))
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    phone = page.get_by_label("Phone", exact=True)
    expect(phone).to_have_attribute("type", "tel")
    expect(phone).to_have_attribute("autocomplete", "tel")
    expect(page.get_by_label("Email")).to_have_attribute("type", "email")
    # A change sets off an autosave; "Save and continue" straight after must still finish the step.
    phone.fill("416-555-0199")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Health history")).to_be_visible()
    page.wait_for_timeout(1_000)  # room for a late autosave to land, were one still sent

    # The other steps, answered as a client would, through the same pages.
    client.get(intake_path(newcomer))
    for step, data in (
        ("health", {"conditions": []}),
        ("screening", NO_FLAGS),
        ("body", body_data({"jaw__left": {"pain": 4, "symptoms": ["clenching"]}})),
        ("preferences", {"stress": "6", "pressure": "medium", "goals": "both"}),
        (
            "consent",
            {"chest": "declined", "abdomen": "declined", "gluteal": "declined", "inner_thigh": "declined"},
        ),
    ):
        assert client.post(step_url(newcomer, step), data).status_code == 302, step

    page.goto(step_url(newcomer, "body"))
    expect(page.locator('input[name="jaw__left__symptoms"][value="clenching"]')).to_have_count(1)
    expect(page.locator('input[name="foot__left__symptoms"][value="clenching"]')).to_have_count(0)
    expect(page.locator('input[name="foot__left__symptoms"][value="numbness"]')).to_have_count(1)

    page.goto(step_url(newcomer, "review"))
    expect(page.get_by_role("heading", name="Review and sign")).to_be_visible()
    expect(page.locator(".progress li.is-done")).to_have_count(6)
    screenshot(page, "papercuts-intake-review")


@pytest.fixture
def session(practice):
    sam = Client.objects.get(email="sam.rivera@example.com")
    locum = Membership.objects.create(
        practice=practice,
        user=User.objects.create_user(email="locum@breathe.example.com", full_name="Noor Locum"),
        role=Role.THERAPIST,
        provides_treatment=True,
    )
    now = datetime.now(TORONTO).replace(second=0, microsecond=0)
    start = max(now - timedelta(minutes=25), now.replace(hour=0, minute=0))
    appointment = Appointment.objects.create(
        practice=practice,
        client=sam,
        therapist=locum,
        start=start,
        end=start + timedelta(minutes=50),
        service_name="Massage therapy, 50 minutes",
    )
    confirm(appointment, gluteal="granted")
    return appointment


def test_a_signed_notes_pdf_has_the_practice_a_footer_and_every_glyph(page_factory, screenshot, session):
    page = page_factory()
    sign_in_staff(page, "maya@breathe.example.com")
    page.goto(f"/appointments/{session.public_id}/note/")
    expect(page.get_by_role("heading", name=re.compile("SOAP note"))).to_be_visible()
    expect(page.get_by_text("not saved yet")).to_be_visible()

    # The muscle list follows the region chosen on the row.
    page.locator("#id_findings-0-region").select_option("gluteal")
    muscle = page.locator("#id_findings-0-muscle")
    expect(muscle.locator("option:not([hidden])")).to_have_count(5)  # the whole region, and four muscles
    expect(muscle.locator('option[value="masseter"]')).to_be_hidden()
    muscle.select_option("piriformis")
    page.locator("#id_findings-0-tension").select_option("2")

    page.locator("#id_treatment-0-region").select_option("low_back")
    page.locator("#id_treatment-0-minutes").fill("25")
    page.locator('input[name="treatment-0-techniques"][value="superficial_heat"]').check()
    page.locator('input[name="treatment-0-techniques"][value="other"]').check()
    page.locator("#id_treatment-0-techniques_other").fill("cupping")
    page.locator("#id_psfs-0-score").select_option("7")  # the activity asked again needs its rating
    plan = page.get_by_label("Plan", exact=True)
    expect(plan).to_have_value(re.compile("Suggested by the planner"))
    plan.fill(plan.input_value() + "\nAim: pain 6 → 4 within three sessions.")
    screenshot(page, "papercuts-note-editor")
    page.get_by_label("I confirm this note is accurate").check()
    page.get_by_role("button", name="Sign and lock").click()
    expect(page.get_by_text("Signed and locked", exact=True)).to_be_visible()
    expect(page.get_by_text("Suggested by the planner")).to_have_count(0)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = pypdfium2.PdfDocument(download.value.path())
    text = pdf[0].get_textpage().get_text_range()
    assert "Aim: pain 6 → 4 within three sessions." in text
    assert "214 Roncesvalles Ave, Toronto, ON" in text and "Page 1" in text
    assert "Sam Rivera · session note signed" in text
    assert "Suggested by the planner" not in text and "deep in the buttock" not in text
    assert "superficial heat, cupping" in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / "papercuts-note-pdf.png"
    pdf[0].render(scale=1.5).to_pil().save(path)
    assert path.stat().st_size > 20_000


def test_a_booking_email_shows_the_address_line_by_line(page_factory, screenshot, practice):
    appointment = (
        Appointment.objects.filter(practice=practice, status="booked", service__isnull=False)
        .order_by("start")
        .first()
    )
    message = emails.confirmation(appointment)
    [(html, _mimetype)] = message.alternatives
    page = page_factory()
    page.set_content(html)
    shown = page.locator("body").inner_text()  # as rendered: a line break shows as one
    assert "Breathe Deeply Massage\n214 Roncesvalles Ave\nToronto, ON" in shown
    assert "AveToronto" not in shown
    expect(page.get_by_text("America/Toronto")).to_have_count(0)
    expect(page.get_by_text(re.compile(r"Toronto time, E[SD]T"))).to_be_visible()
    screenshot(page, "papercuts-email-confirmation")
