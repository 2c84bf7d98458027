"""A therapist signs in, reads the dashboard and opens a client, on a desktop and on a phone."""

import pytest
from playwright.sync_api import expect

from bodymap.audit.models import AuditAction, AuditEntry
from bodymap.clients.models import Client
from bodymap.demo import practice as demo
from tests.browser.conftest import PHONE, browser_test
from tests.two_factor import app_for, give_code

pytestmark = browser_test


def sign_in(page, email, password=demo.PASSWORD):
    owner = email == "maya@breathe.example.com"
    app = app_for(email) if owner else None  # owners give a code from their app as well
    page.goto("/")
    expect(page.get_by_role("heading", name="Staff sign in")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if app is not None:
        give_code(page, app)


def test_it_takes_the_demo_therapist_from_sign_in_to_a_client(page_factory, screenshot):
    demo.load()
    page = page_factory()
    sign_in(page, "maya@breathe.example.com")
    expect(page.get_by_role("heading", name="Hello, Maya Brooks")).to_be_visible()
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    expect(page.get_by_text("Times are Toronto time")).to_be_visible()
    screenshot(page, "dashboard")

    page.get_by_role("link", name="Clients").click()
    page.get_by_label("Search clients").fill("rivera")
    row = page.get_by_role("link", name="Sammy (Sam Rivera)")
    expect(row).to_be_visible()
    expect(page.get_by_text("Elena Kowalski")).to_have_count(0)
    screenshot(page, "client-search")
    row.click()
    expect(page.get_by_role("heading", name="Sammy (Sam Rivera)")).to_be_visible()
    expect(page.get_by_text("Clinical record")).to_be_visible()
    screenshot(page, "client")
    sam = Client.objects.get(email="sam.rivera@example.com")
    assert AuditEntry.objects.filter(subject_public_id=sam.public_id, action=AuditAction.VIEW).exists()


def test_it_works_on_a_phone(page_factory, screenshot):
    demo.load()
    page = page_factory(viewport=PHONE)
    sign_in(page, "daniel@breathe.example.com")
    expect(page.get_by_role("heading", name="Hello, Daniel Okafor")).to_be_visible()
    # The navigation folds into a menu on a narrow screen.
    expect(page.get_by_role("link", name="Clients")).to_be_hidden()
    page.get_by_text("Menu").click()
    expect(page.get_by_role("link", name="Clients")).to_be_visible()
    page.get_by_role("link", name="Clients").click()
    expect(page.get_by_role("heading", name="Clients")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the page scrolls sideways on a phone"
    screenshot(page, "clients-phone")


def test_it_keeps_typed_values_when_a_new_client_has_errors(page_factory, screenshot):
    demo.load()
    page = page_factory()
    sign_in(page, "priya@breathe.example.com")
    page.goto("/clients/new/")
    page.get_by_label("Last name").fill("Nakamura-Lee")
    page.get_by_label("Email").fill("not an email")
    page.get_by_role("button", name="Add client").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    expect(page.get_by_label("Last name")).to_have_value("Nakamura-Lee")
    screenshot(page, "client-form-errors")
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Email").fill("grace.nl@example.com")
    page.get_by_role("button", name="Add client").click()
    expect(page.get_by_text("Grace Nakamura-Lee was added.")).to_be_visible()


@pytest.mark.parametrize("email", ["priya@breathe.example.com"])
def test_it_hides_the_audit_log_from_front_desk(page_factory, email):
    demo.load()
    page = page_factory()
    sign_in(page, email)
    expect(page.get_by_role("link", name="Audit log")).to_have_count(0)
    response = page.goto("/audit/")
    assert response.status == 404
