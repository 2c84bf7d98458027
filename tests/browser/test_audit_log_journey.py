"""The owner asks the audit log who opened Sam's record, and reads the answer in names."""

import re

from playwright.sync_api import expect

from bodymap.demo import practice as demo
from tests.browser.conftest import browser_test
from tests.browser.test_intake_journey import sign_in_staff

pytestmark = browser_test


def test_it_answers_who_opened_a_clients_record(page_factory, screenshot):
    demo.load()
    therapist = page_factory()
    sign_in_staff(therapist, "daniel@breathe.example.com")
    therapist.goto("/clients/?q=rivera")
    therapist.get_by_role("link", name="Sammy (Sam Rivera)").click()
    expect(therapist.get_by_role("heading", name="Sammy (Sam Rivera)")).to_be_visible(timeout=20_000)

    owner = page_factory()
    sign_in_staff(owner, "maya@breathe.example.com")
    owner.get_by_role("link", name="Audit log").click()
    owner.locator("#id_client").select_option(label="Sam Rivera")
    owner.get_by_role("button", name="Filter").click()
    rows = owner.locator("tbody tr")
    expect(rows.filter(has_text="Daniel Okafor").filter(has_text="Client record").first).to_be_visible(
        timeout=20_000
    )
    expect(rows.filter(has_text="Elena Kowalski")).to_have_count(0)
    sam = owner.locator("#id_client").input_value()
    csv_link = owner.get_by_role("link", name="Download as CSV")
    expect(csv_link).to_have_attribute("href", re.compile(f"^/audit/export.csv\\?.*client={sam}"))
    screenshot(owner, "audit-log-one-client")
