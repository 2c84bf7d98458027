"""The owner turns on two-factor sign-in in Chromium: scans the code, signs out and back in with the
app's code, and a recovery code works once."""

import base64
import re

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from bodymap.demo import practice as demo
from tests.browser.conftest import browser_test
from tests.two_factor import give_code

pytestmark = browser_test
MAYA = "maya@breathe.example.com"


def with_password(page):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(MAYA)
    page.get_by_label("Password").fill(demo.PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Staff sign in")).to_be_visible()


def code_from_key(key: str) -> str:
    """What an authenticator app shows for the key typed in from the page."""
    totp = TOTP(base64.b32decode(key.replace(" ", "")))
    return f"{totp.token():06d}"


def test_it_sets_up_two_factor_sign_in_and_uses_it(page_factory, screenshot):
    demo.load()
    page = page_factory()
    with_password(page)
    # An owner's first sign-in goes straight to setting up the app; nothing else opens first.
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr).to_be_visible()
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert qr.evaluate("img => img.naturalWidth") > 100  # the browser drew it under the strict CSP
    screenshot(page, "two-factor-setup")

    key = page.locator("[data-secret]").inner_text()
    page.get_by_label("Code").fill(code_from_key(key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = [
        c.strip() for c in page.get_by_role("list", name="Recovery codes").locator("code").all_inner_texts()
    ]
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z0-9]{8}", c) for c in codes)
    page.get_by_role("link", name="I have kept them, continue").click()
    expect(page.get_by_role("heading", name="Hello, Maya Brooks")).to_be_visible()
    sign_out(page)

    # Back in with the password and the app's code.
    with_password(page)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    give_code(page, TOTPDevice.objects.get(user__email=MAYA))
    expect(page.get_by_role("heading", name="Hello, Maya Brooks")).to_be_visible()
    sign_out(page)

    # A recovery code opens the practice once ...
    with_password(page)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Hello, Maya Brooks")).to_be_visible()
    expect(page.get_by_text("You signed in with a recovery code; 9 are left.")).to_be_visible()
    sign_out(page)

    # ... and never again.
    with_password(page)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code did not work.")).to_be_visible()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
