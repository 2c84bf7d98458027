"""Codes for two-factor sign-in in tests, computed from the device's secret as a phone app would."""

import time

from django_otp.oath import TOTP


def next_code(device) -> str:
    """The code the device accepts next: the current one, or the next step's when the current one
    was already used (a code works once). The server allows one step either side, so the answer
    does not depend on when in the 30 seconds it is computed."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def app_for(email):
    """An authenticator app already set up for the member of staff at `email`."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bodymap.accounts.models import User

    device, _ = TOTPDevice.objects.get_or_create(
        user=User.objects.get(email=email), confirmed=True, defaults={"name": "Test app"}
    )
    return device


def give_code(page, device):
    """In a browser on the second step of signing in: type the app's code and continue."""
    page.get_by_label("Code").fill(next_code(device))
    page.get_by_role("button", name="Continue").click()
