"""Front desk completes a treatment, takes part in cash and the rest by card terminal, issues the
receipt; the client downloads it from the portal; a re-issue says DUPLICATE."""

import io
import re
from zoneinfo import ZoneInfo

from django.core import mail
from playwright.sync_api import expect

from bodymap.booking.models import AppointmentStatus
from tests.billing.helpers import set_up_billing
from tests.browser.axe import assert_accessible
from tests.browser.conftest import DESKTOP, browser_test
from tests.browser.test_staff_journey import sign_in
from tests.cast import build_cast

pytestmark = browser_test


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_it_takes_payments_and_gives_the_client_a_receipt_to_the_standard(
    page_factory, screenshot, run_tasks
):
    cast = build_cast()
    billed = set_up_billing(cast, hours_ago=2)
    appointment = billed.appointment
    appointment.status = AppointmentStatus.CHECKED_IN
    appointment.save(update_fields=["status"])
    local_day = appointment.start.astimezone(ZoneInfo(cast.practice.timezone)).date()

    desk = page_factory(viewport=DESKTOP)
    sign_in(desk, cast.front_desk.user.email, "correct horse battery")
    desk.goto(f"/billing/?date={local_day.isoformat()}")
    expect(desk.get_by_role("heading", name="Billing")).to_be_visible()
    assert_accessible(desk)
    desk.get_by_role("link", name="Complete and invoice").click()
    expect(desk.get_by_label("Fee for the service")).to_have_value("110.00")
    desk.get_by_role("button", name="Complete and issue invoice").click()
    expect(desk.get_by_text("Invoice INV-000001 issued.")).to_be_visible()
    expect(desk.get_by_test_id("balance")).to_contain_text("$124.30")

    desk.get_by_label("Method").select_option(label="Cash")
    desk.get_by_label("Amount").fill("50.00")
    desk.get_by_role("button", name="Record payment").click()
    expect(desk.get_by_test_id("balance")).to_contain_text("$74.30")
    expect(desk.get_by_test_id("invoice-status")).to_have_text("Part paid")
    desk.get_by_label("Method").select_option(label="Card terminal")
    desk.get_by_label("Amount").fill("74.30")
    desk.get_by_role("button", name="Record payment").click()
    expect(desk.get_by_test_id("balance")).to_contain_text("$0.00")
    expect(desk.get_by_test_id("invoice-status")).to_have_text("Paid")
    desk.get_by_role("button", name="Issue receipt").click()
    expect(desk.get_by_text("Receipt issued and emailed to sam.rivera@example.com")).to_be_visible()
    expect(desk.get_by_text("Clinical record")).to_have_count(0)
    expect(desk.get_by_role("button", name="Issue receipt")).to_have_count(0)
    screenshot(desk, "billing-invoice-paid")

    # The client signs in to the portal and downloads the receipt.
    client = page_factory(viewport=DESKTOP)
    client.goto("/portal/sign-in/")
    client.get_by_label("Your email address").fill(cast.client.email)
    client.get_by_role("button", name="Email me a sign-in link").click()
    link = re.search(r"http://\S+/portal/sign-in/\S+/", mail.outbox[-1].body).group(0)
    client.goto(link)
    client.get_by_role("button", name="Sign in").click()
    client.get_by_role("link", name="Invoices and receipts").click()
    expect(client.get_by_role("heading", name="Invoices and receipts")).to_be_visible()
    screenshot(client, "billing-portal-receipts")
    with client.expect_download() as download_info:
        client.get_by_role("link", name=re.compile("Download receipt")).click()
    with open(download_info.value.path(), "rb") as pdf:
        text = _pdf_text(pdf.read())
    for field in (
        local_day.isoformat(),  # date of the appointment
        "Sam Rivera",  # the client's name
        cast.therapist.user.full_name,  # the therapist's name
        "$124.30",  # the amount
        "U1234",  # registration number
        "RMT",
        "Signature of",  # the signature, drawn above its caption
        "81234 5678",  # the HST number, as tax was charged
        "Massage Therapy treatment",
    ):
        assert field in text, field
    assert "DUPLICATE" not in text

    # A lost receipt: the desk re-issues it, and the copy says so.
    desk.reload()
    desk.get_by_role("button", name="Re-issue as duplicate").click()
    expect(desk.get_by_text("Duplicate receipt issued.")).to_be_visible()
    href = desk.get_by_role("link", name=re.compile("DUPLICATE")).get_attribute("href")
    duplicate = _pdf_text(desk.request.get(href).body())
    assert "DUPLICATE" in duplicate
    assert "$124.30" in duplicate


def test_it_lets_a_therapist_draw_their_signature(page_factory):
    from bodymap.billing.models import StaffSignature

    cast = build_cast()
    page = page_factory(viewport=DESKTOP)
    sign_in(page, cast.therapist.user.email, "correct horse battery")
    page.goto("/billing/profile/")
    page.get_by_label("Professional designation").fill("RMT")
    page.get_by_label("Regulator").fill("College of Massage Therapists of Ontario")
    page.get_by_label("Registration number").fill("U2468")
    box = page.locator("#signature-pad").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 90)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 30, box["y"] + 90 - (step % 3) * 25)
    page.mouse.up()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    expect(page.get_by_role("img", name="Your signature")).to_be_visible()
    assert_accessible(page)
    signature = StaffSignature.objects.get(membership=cast.therapist)
    assert signature.content_type == "image/png"


def test_the_desk_sells_a_package_and_uses_a_session_at_checkout(page_factory, screenshot):
    from datetime import timedelta

    from django.utils import timezone

    cast = build_cast()
    billed = set_up_billing(cast, hours_ago=2)
    local_day = billed.appointment.start.astimezone(ZoneInfo(cast.practice.timezone)).date()
    desk = page_factory(viewport=DESKTOP)
    sign_in(desk, cast.front_desk.user.email, "correct horse battery")

    desk.goto(f"/billing/client/{cast.client.public_id}/")
    # A required field's label ends with an asterisk, hidden from screen readers.
    desk.get_by_label(re.compile(r"^Service\b")).select_option(label=billed.service.name)
    desk.get_by_label(re.compile(r"^Sessions\b")).fill("5")
    desk.get_by_label("Price of the package").fill("500.00")
    desk.get_by_label("Paid by").select_option(label="Card terminal")
    desk.get_by_label("Expires on").fill((timezone.localdate() + timedelta(days=180)).isoformat())
    desk.get_by_role("button", name="Sell package").click()
    expect(desk.get_by_text("Package of 5 sessions")).to_be_visible()
    expect(desk.get_by_role("cell", name="5 / 5")).to_be_visible()

    desk.goto(f"/billing/?date={local_day.isoformat()}")
    desk.get_by_role("link", name="Complete and invoice").click()
    desk.get_by_role("button", name=re.compile("issue invoice")).click()
    expect(desk.get_by_test_id("balance")).to_contain_text("$124.30")
    desk.get_by_label("Method").select_option(label="Package credit")
    desk.get_by_label("Package", exact=True).select_option(index=1)
    desk.get_by_role("button", name="Record payment").click()
    # One session is a fifth of the package's price; the rest of the posted fee and tax stays due.
    expect(desk.get_by_test_id("balance")).to_contain_text("$24.30")
    screenshot(desk, "billing-package-credit")
