"""A red flag reaches the client and the practice at once; a guardian signs for a minor; a client
changes one region's consent from the portal. In Chromium, on a phone and on a desktop."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from bodymap.booking.models import Appointment
from bodymap.clients.models import Client
from bodymap.consent.models import ConsentRecord
from bodymap.demo import practice as demo
from bodymap.intake.links import intake_path
from bodymap.safety.models import SafetyAlert
from tests.browser.conftest import DESKTOP, PHONE, browser_test
from tests.browser.test_intake_journey import sign_in_staff

pytestmark = browser_test
EMERGENCY = "Go to a hospital emergency department now, or call emergency services"
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture
def newcomer(db):
    """A demo client with no intake yet and a massage booked in two days."""
    demo.load()
    client = Client.objects.get(email="lucia.moreno@example.com")
    therapist = client.assigned_therapist or client.practice.memberships.get(role="owner")
    # Two days ahead at 7:00, before the demo diary's first booking of any day.
    tz = ZoneInfo(client.practice.timezone)
    day = timezone.now().astimezone(tz).date() + timedelta(days=2)
    start = datetime.combine(day, time(7, 0), tzinfo=tz)
    client.coming = Appointment.objects.create(
        practice=client.practice,
        client=client,
        therapist=therapist,
        start=start,
        end=start + timedelta(hours=1),
        service_name="Massage therapy, 60 minutes",
    )
    return client


def save(page):
    # Let the page's autosave (sent 400 ms after a change) finish first, as a person would: the test
    # database is SQLite in memory, where two writes at the same moment fail instead of waiting.
    page.wait_for_timeout(450)
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Save and continue").click()


def answer_screening(page, saddle_numbness):
    expect(page.get_by_role("heading", name="Safety questions")).to_be_visible()
    for radio in page.locator('input[type=radio][value="no"]').all():
        radio.check()
    if saddle_numbness:
        page.locator('input[name="saddle_numbness"][value="yes"]').check()
    save(page)


def mark_body(page, viewport_name, numb_buttocks):
    expect(page.get_by_role("heading", name="Where it hurts")).to_be_visible()
    if viewport_name == "phone":
        page.locator("label[for=view-back]").click()
    page.locator('.figure--back [data-region="low_back"]').click()
    page.locator("#id_low_back__mid__pain").select_option("6")
    if numb_buttocks:
        for side in ("left", "right"):
            page.locator(f'.figure--back [data-region="gluteal"][data-side="{side}"]').click()
            page.locator(f"#id_gluteal__{side}__pain").select_option("3")
            page.locator(f'input[name="gluteal__{side}__symptoms"][value="numbness"]').check()
    save(page)


def finish(page, signature, decline_all=True):
    expect(page.get_by_role("heading", name="Stress and preferences")).to_be_visible()
    page.locator('input[name="stress"][value="5"]').check()
    page.get_by_label("Medium — firm but comfortable").check()
    save(page)
    expect(page.get_by_role("heading", name="Consent")).to_be_visible()
    if decline_all:
        for region in ("chest", "abdomen", "gluteal", "inner_thigh"):
            page.locator(f"#consent-{region}").get_by_label("No", exact=True).check()
    save(page)
    expect(page.get_by_role("heading", name="Review and sign")).to_be_visible()
    page.locator("#id_signature").fill(signature)
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="Sign and send").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()


@pytest.mark.parametrize("viewport_name", ["phone", "desktop"])
@pytest.mark.parametrize("how", ["answered yes", "marked on the body map"])
def test_a_red_flag_reaches_the_client_and_holds_the_session_until_reviewed(
    page_factory, screenshot, newcomer, viewport_name, how
):
    viewport = VIEWPORTS[viewport_name]
    slug = "answer" if how == "answered yes" else "bodymap"
    page = page_factory(viewport=viewport)
    page.goto(intake_path(newcomer))
    save(page)  # about you: already filled from the practice's record
    expect(page.get_by_role("heading", name="Health history")).to_be_visible()
    save(page)
    answer_screening(page, saddle_numbness=how == "answered yes")
    if how == "answered yes":
        # The client reads what to do now, on the step where she answered.
        expect(page).to_have_url(re.compile(r"/screening/\?raised=1$"))
        expect(page.get_by_role("alert").filter(has_text=EMERGENCY)).to_be_visible()
        screenshot(page, f"safety-1-{slug}-step-{viewport_name}", full_page=False)
        page.get_by_role("link", name="I understand — continue my intake").click()
    mark_body(page, viewport_name, numb_buttocks=how != "answered yes")
    if how != "answered yes":
        expect(page).to_have_url(re.compile(r"/body/\?raised=1$"))
        expect(page.get_by_role("alert").filter(has_text=EMERGENCY)).to_be_visible()
        screenshot(page, f"safety-1-{slug}-step-{viewport_name}", full_page=False)
        page.get_by_role("link", name="I understand — continue my intake").click()
    finish(page, newcomer.full_name)
    expect(page.get_by_role("alert").filter(has_text=EMERGENCY)).to_be_visible()
    expect(page.get_by_text("go through them with you at your visit")).to_have_count(0)
    screenshot(page, f"safety-2-{slug}-thank-you-{viewport_name}")

    alert = SafetyAlert.objects.get(client=newcomer)
    assert alert.urgency == "emergency"
    practice_mail = [m for m in mail.outbox if "needs review" in m.subject]
    assert len(practice_mail) == 1 and "numb" not in practice_mail[0].body.lower()
    assert any(EMERGENCY in m.body for m in mail.outbox if m.to == [newcomer.email])

    appointment = newcomer.coming
    staff = page_factory(viewport=viewport)
    sign_in_staff(staff, appointment.therapist.user.email)
    alerts = staff.locator("#safety-alerts")
    expect(alerts).to_contain_text(newcomer.display_name)
    screenshot(staff, f"safety-3-{slug}-dashboard-{viewport_name}")

    staff.goto(f"/appointments/{appointment.public_id}/session/")
    expect(
        staff.get_by_role("heading", name="This session cannot start: the intake needs review")
    ).to_be_visible()
    expect(staff.locator(".plan")).to_have_count(0)
    screenshot(staff, f"safety-4-{slug}-session-held-{viewport_name}")
    staff.get_by_label("I called the client and talked it through").check()
    staff.get_by_label(re.compile("^Note")).fill(
        "Called Lucia: she is on her way to the emergency department."
    )
    staff.get_by_role("button", name="Record and acknowledge").click()
    expect(staff.get_by_text("The alert is closed for everyone")).to_be_visible()
    expect(staff.get_by_role("heading", name=re.compile("^Session with"))).to_be_visible()
    expect(staff.get_by_text("This session cannot start")).to_have_count(0)
    staff.goto("/dashboard/")
    expect(staff.get_by_role("heading", name=re.compile("^Hello"))).to_be_visible()
    expect(staff.locator("#safety-alerts li", has_text=newcomer.display_name)).to_have_count(0)


@pytest.mark.parametrize("viewport_name", ["phone", "desktop"])
def test_a_minors_intake_asks_for_the_guardian(page_factory, screenshot, newcomer, viewport_name):
    today = timezone.localdate()
    newcomer.date_of_birth = today.replace(year=today.year - 12, day=1) - timedelta(days=40)
    newcomer.save(update_fields=["date_of_birth"])
    page = page_factory(viewport=VIEWPORTS[viewport_name])
    page.goto(intake_path(newcomer))
    save(page)
    save(page)
    answer_screening(page, saddle_numbness=False)
    mark_body(page, viewport_name, numb_buttocks=False)
    expect(page.get_by_role("heading", name="Stress and preferences")).to_be_visible()
    page.locator('input[name="stress"][value="2"]').check()
    save(page)
    guardian = page.locator("#guardian")
    expect(guardian.get_by_role("heading", name="For a parent or guardian")).to_be_visible()
    guardian.get_by_label("Parent or guardian's full name").fill("Rosa Moreno")
    guardian.get_by_label(re.compile("I give the consent")).check()
    guardian.get_by_label(re.compile("I will be in the room")).check()
    for region in ("chest", "abdomen", "inner_thigh"):
        page.locator(f"#consent-{region}").get_by_label("No", exact=True).check()
    page.locator("#consent-gluteal").get_by_label("Yes, but over the sheet only").check()
    screenshot(page, f"safety-5-minor-guardian-{viewport_name}")
    save(page)
    page.get_by_label("Parent or guardian: type your full name to sign").fill("Rosa Moreno")
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="Sign and send").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    intake = newcomer.intakes.submitted().get()
    assert intake.contract["guardian"] == {"name": "Rosa Moreno", "consents": True, "present": True}
    assert ConsentRecord.objects.get(client=newcomer, region="gluteal").guardian_name == "Rosa Moreno"


@pytest.mark.parametrize("viewport_name", ["phone", "desktop"])
def test_a_client_changes_one_regions_consent_from_the_portal(
    page_factory, screenshot, db, viewport_name, run_tasks
):
    demo.load()
    sam = Client.objects.get(email="sam.rivera@example.com")
    page = page_factory(viewport=VIEWPORTS[viewport_name])
    page.goto("/portal/sign-in/")
    page.get_by_label("Your email address").fill(sam.email)
    page.get_by_role("button", name="Email me a sign-in link").click()
    link = re.search(r"http://\S+/portal/sign-in/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Your consent").click()
    page.get_by_role("link", name="Give or change consent for the inner thigh").click()
    expect(page.locator(".consent-text")).to_contain_text("Risks:")
    expect(page.locator(".consent-text")).to_contain_text("Your right to stop:")
    page.get_by_label("Yes, but over the sheet only").check()
    page.get_by_label("Type your full name to sign").fill("Sam Rivera")
    screenshot(page, f"safety-6-portal-consent-{viewport_name}")
    page.get_by_role("button", name="Sign and record my decision").click()
    expect(page.get_by_text("is recorded")).to_be_visible()
    latest = ConsentRecord.objects.filter(client=sam, region="inner_thigh").latest("given_at", "id")
    assert latest.decision == "over_drape" and latest.method == "portal" and latest.signature == "Sam Rivera"
    assert "Risks:" in latest.explanation
