"""A client fills in the intake on the body map; the therapist's plan follows their consent."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from bodymap.clients.models import Client
from bodymap.demo import practice as demo
from bodymap.intake.links import intake_path
from tests.browser.conftest import DESKTOP, PHONE, browser_test
from tests.two_factor import app_for, give_code

pytestmark = browser_test


@pytest.fixture
def sam(db):
    demo.load()
    client = Client.objects.get(email="sam.rivera@example.com")
    client.intakes.all()  # the demo already holds Sam's intake: a new one replaces it
    return client


@pytest.fixture
def newcomer(db):
    demo.load()
    return Client.objects.get(email="lucia.moreno@example.com")


def answer_no_to_everything(page):
    for radio in page.locator('input[type=radio][value="no"]').all():
        radio.check()


def complete_intake(page, client, viewport_name, screenshot):
    page.goto(intake_path(client))
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    screenshot(page, f"intake-1-about-{viewport_name}")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Health history")).to_be_visible()
    page.get_by_label("High blood pressure").check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Safety questions")).to_be_visible()
    answer_no_to_everything(page)
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Where it hurts")).to_be_visible()
    if viewport_name == "phone":
        page.locator("label[for=view-back]").click()
    # Tap the low back and the left back of the thigh on the map itself.
    page.locator('.figure--back [data-region="low_back"]').click()
    expect(page.locator("#id_low_back__mid__on")).to_be_checked()
    page.locator("#id_low_back__mid__pain").select_option("6")
    page.locator('input[name="low_back__mid__symptoms"][value="stiffness"]').check()
    page.locator('.figure--back [data-region="posterior_thigh"][data-side="left"]').click()
    page.locator("#id_posterior_thigh__left__pain").select_option("5")
    page.locator('input[name="posterior_thigh__left__symptoms"][value="worse_sitting"]').check()
    page.locator('input[name="posterior_thigh__left__symptoms"][value="radiating"]').check()
    expect(page.locator('.figure--back [data-region="low_back"]')).to_have_class(re.compile("pain-6"))
    page.locator('.figure--back [data-region="low_back"]').scroll_into_view_if_needed()
    screenshot(page, f"intake-2-body-map-{viewport_name}", full_page=False)
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Stress and preferences")).to_be_visible()
    page.locator('input[name="stress"][value="7"]').check()
    page.get_by_label("Medium — firm but comfortable").check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Consent")).to_be_visible()
    gluteal = page.locator("#consent-gluteal")
    expect(gluteal.get_by_text("For what you told us:")).to_be_visible()
    gluteal.get_by_label("Yes, but over the sheet only").check()
    page.locator("#consent-abdomen").get_by_label("No", exact=True).check()
    page.locator("#consent-chest").get_by_label("No", exact=True).check()
    page.locator("#consent-inner_thigh").get_by_label("No", exact=True).check()
    screenshot(page, f"intake-3-consent-{viewport_name}")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Review and sign")).to_be_visible()
    page.get_by_label("Type your full name to sign").fill(client.full_name)
    page.locator("#id_confirm").check()
    screenshot(page, f"intake-4-review-{viewport_name}")
    page.get_by_role("button", name="Sign and send").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()


def plan_regions(page):
    return {
        item.get_attribute("data-region"): item.get_attribute("data-contact")
        for item in page.locator(".plan-item").all()
    }


def sign_in_staff(page, email):
    owner = email == "maya@breathe.example.com"
    app = app_for(email) if owner else None  # owners give a code from their app as well
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(demo.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if app is not None:
        give_code(page, app)
    expect(page.get_by_role("heading", name=re.compile("^Hello"))).to_be_visible()


@pytest.mark.parametrize("viewport_name", ["phone", "desktop"])
def test_it_plans_what_the_client_consented_to_and_follows_a_withdrawal(
    page_factory, screenshot, newcomer, viewport_name, run_tasks
):
    viewport = PHONE if viewport_name == "phone" else DESKTOP
    client_page = page_factory(viewport=viewport)
    complete_intake(client_page, newcomer, viewport_name, screenshot)

    therapist = page_factory(viewport=viewport)
    sign_in_staff(therapist, "maya@breathe.example.com")
    therapist.goto(f"/clients/{newcomer.public_id}/chart/")
    plan = plan_regions(therapist)
    assert plan.get("gluteal") == "over_drape", therapist.content()[:3000]
    assert "abdomen" not in plan
    # The abdomen matters for low back pain (iliopsoas), so the plan says what is lost without it.
    expect(therapist.locator('.exclusion[data-region="abdomen"]')).to_contain_text("no consent")
    screenshot(therapist, f"chart-1-over-drape-{viewport_name}")

    # The client signs in to the portal with an emailed link and withdraws gluteal consent.
    client_page.goto("/portal/sign-in/")
    client_page.get_by_label("Your email address").fill(newcomer.email)
    client_page.get_by_role("button", name="Email me a sign-in link").click()
    expect(client_page.get_by_role("heading", name="Check your email")).to_be_visible()
    link = re.search(r"http://\S+/portal/sign-in/\S+/", mail.outbox[-1].body).group(0)
    client_page.goto(link)
    client_page.get_by_role("button", name="Sign in").click()
    client_page.get_by_role("link", name="Your consent").click()
    client_page.get_by_role("button", name="Withdraw consent for the buttock (gluteal region)").click()
    expect(client_page.get_by_text("You have withdrawn your consent")).to_be_visible()
    screenshot(client_page, f"portal-withdrawn-{viewport_name}")

    therapist.reload()
    assert "gluteal" not in plan_regions(therapist)
    excluded = therapist.locator('.exclusion[data-region="gluteal"]')
    expect(excluded).to_be_visible()
    expect(excluded).to_contain_text("Consent can be given later")
    screenshot(therapist, f"chart-2-withdrawn-{viewport_name}")


def test_it_can_be_completed_with_the_keyboard_alone(page_factory, screenshot, newcomer):
    page = page_factory(viewport=DESKTOP)
    page.goto(intake_path(newcomer))

    def tab_to(selector, limit=400):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement && document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"could not reach {selector} with Tab")

    def submit():
        tab_to("button[type=submit]")
        page.keyboard.press("Enter")

    submit()  # about: already filled from the practice's record
    expect(page.get_by_role("heading", name="Health history")).to_be_visible()
    submit()
    expect(page.get_by_role("heading", name="Safety questions")).to_be_visible()
    for question in page.locator("fieldset.question").all():
        name = question.locator("input[type=radio]").first.get_attribute("name")
        tab_to(f'input[name="{name}"]')
        page.keyboard.press("Space")  # the first choice is "No"
    submit()
    expect(page.get_by_role("heading", name="Where it hurts")).to_be_visible()
    tab_to("#id_low_back__mid__on")
    page.keyboard.press("Space")
    tab_to("#id_low_back__mid__pain")
    page.keyboard.type("6")
    submit()
    expect(page.get_by_role("heading", name="Stress and preferences")).to_be_visible()
    tab_to('input[name="stress"]')
    page.keyboard.press("Space")
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    submit()
    expect(page.get_by_role("heading", name="Consent")).to_be_visible()
    for region in ["chest", "abdomen", "gluteal", "inner_thigh"]:
        tab_to(f'input[name="{region}"]')
        page.keyboard.press("Space")  # "Yes" is first; move to "No" for all but the gluteals
        if region != "gluteal":
            page.keyboard.press("ArrowRight")
            page.keyboard.press("ArrowRight")
    submit()
    expect(page.get_by_role("heading", name="Review and sign")).to_be_visible()
    tab_to("#id_signature")
    page.keyboard.type(newcomer.full_name)
    tab_to("#id_confirm")
    page.keyboard.press("Space")
    submit()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    contract = newcomer.intakes.submitted().get().contract
    assert contract["complaints"] == [{"region": "low_back", "pain": 6}]
    assert contract["stress"] == 5
    assert contract["consent"] == {
        "chest": "declined",
        "abdomen": "declined",
        "gluteal": "granted",
        "inner_thigh": "declined",
    }


def test_it_keeps_a_half_finished_intake_when_the_browser_closes(browser, live_server, newcomer):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    page.goto(intake_path(newcomer))
    page.get_by_label("Phone", exact=True).fill("416-555-0177")
    page.get_by_label("Emergency contact", exact=True).fill("Rosa Moreno")
    page.get_by_label("Emergency contact", exact=True).blur()
    # The draft is saved as the client types; wait for the save to reach the server.
    page.wait_for_function("!document.querySelector('.htmx-request')")
    page.wait_for_timeout(1200)
    context.close()

    later = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = later.new_page()
    page.goto(intake_path(newcomer))
    expect(page.get_by_label("Phone", exact=True)).to_have_value("416-555-0177")
    expect(page.get_by_label("Emergency contact", exact=True)).to_have_value("Rosa Moreno")
    later.close()
