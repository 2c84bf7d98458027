"""Two-factor sign-in: owners always, everyone when the practice asks, codes that work once."""

import re
from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from bodymap.audit.models import AuditEntry
from tests.two_factor import next_code

PASSWORD = "correct horse battery"


def sign_in(http, email):
    return http.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})


def set_up(http, email):
    """Scan and confirm an authenticator app; returns the recovery codes shown once."""
    page = http.get(reverse("accounts:two_factor_setup")).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    device = TOTPDevice.objects.get(user__email=email, confirmed=False)
    response = http.post(reverse("accounts:two_factor_setup"), {"code": next_code(device)})
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())


def test_it_opens_nothing_for_an_owner_on_a_password_alone(cast):
    http = HttpClient()
    response = sign_in(http, "owner@example.com")
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    for url in (reverse("booking:dashboard"), reverse("clients:detail", args=[cast.client.public_id])):
        response = http.get(url)
        assert response.status_code == 302 and reverse("accounts:two_factor_verify") in response["Location"]


def test_it_sets_up_an_app_and_asks_for_its_code_at_the_next_sign_in(cast):
    http = HttpClient()
    sign_in(http, "owner@example.com")
    codes = set_up(http, "owner@example.com")
    assert len(codes) == 10
    assert http.get(reverse("booking:dashboard")).status_code == 200
    http.post(reverse("accounts:logout"))

    sign_in(http, "owner@example.com")
    assert http.get(reverse("booking:dashboard")).status_code == 302
    wrong = http.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    assert "did not work" in wrong.content.decode()
    device = TOTPDevice.objects.get(user__email="owner@example.com")
    too_soon = http.post(reverse("accounts:two_factor_verify"), {"code": next_code(device)})
    assert "Wait a few seconds" in too_soon.content.decode()
    # Once the wait is over (here: the wrong guess moved into the past) the right code works.
    device.throttling_failure_timestamp -= timedelta(seconds=10)
    device.save()
    response = http.post(reverse("accounts:two_factor_verify"), {"code": next_code(device)})
    assert response.status_code == 302
    assert http.get(reverse("booking:dashboard")).status_code == 200
    assert AuditEntry.objects.filter(
        subject_type="two_factor", details__event="authenticator app set up"
    ).exists()


def test_it_takes_each_recovery_code_once(cast):
    http = HttpClient()
    sign_in(http, "owner@example.com")
    code = set_up(http, "owner@example.com")[0]
    http.post(reverse("accounts:logout"))
    for attempt in range(2):
        sign_in(http, "owner@example.com")
        http.post(reverse("accounts:two_factor_verify"), {"code": code.upper()})
        opened = http.get(reverse("booking:dashboard")).status_code == 200
        assert opened == (attempt == 0)
        http.post(reverse("accounts:logout"))
    assert StaticToken.objects.filter(device__user__email="owner@example.com").count() == 9


def test_it_does_not_let_a_password_alone_replace_the_app(cast):
    http = HttpClient()
    sign_in(http, "owner@example.com")
    set_up(http, "owner@example.com")
    http.post(reverse("accounts:logout"))
    thief = HttpClient()
    sign_in(thief, "owner@example.com")
    response = thief.get(reverse("accounts:two_factor_setup"))
    assert response.status_code == 302 and reverse("accounts:two_factor_verify") in response["Location"]
    assert not TOTPDevice.objects.filter(user__email="owner@example.com", confirmed=False).exists()


def test_it_lets_staff_in_with_a_password_until_the_practice_requires_more(cast, as_role):
    http = HttpClient()
    sign_in(http, "therapist@example.com")
    assert http.get(reverse("booking:dashboard")).status_code == 200
    owner = as_role("owner")
    form = owner.get(reverse("accounts:settings")).context["form"]
    data = {k: v for k, v in form.initial.items() if k in form.fields and v is not None}
    owner.post(reverse("accounts:settings"), {**data, "require_two_factor": "on"})
    cast.practice.refresh_from_db()
    assert cast.practice.require_two_factor
    # The therapist's open session now needs the second step before anything else.
    response = http.get(reverse("booking:dashboard"))
    assert response.status_code == 302 and reverse("accounts:two_factor_verify") in response["Location"]
    assert http.get(reverse("accounts:two_factor_verify")).status_code == 302  # on to set up the app


@pytest.mark.parametrize("role", ["therapist", "front_desk"])
def test_it_keeps_the_practice_setting_for_the_owner(cast, as_role, role):
    http = as_role(role)
    response = http.post(reverse("accounts:settings"), {"name": "Mine now", "require_two_factor": "on"})
    assert response.status_code == 404
    cast.practice.refresh_from_db()
    assert not cast.practice.require_two_factor and cast.practice.name != "Mine now"


def test_it_lets_an_owner_not_turn_it_off(cast, as_role):
    http = as_role("owner")
    http.post(reverse("accounts:two_factor_off"))
    assert TOTPDevice.objects.filter(user__email="owner@example.com").exists()


def test_it_lets_the_owner_reset_a_colleagues_lost_app(cast, as_role):
    TOTPDevice.objects.create(user=cast.therapist.user, confirmed=True, name="Lost phone")
    url = reverse("accounts:staff_two_factor_reset", args=[cast.therapist.public_id])
    assert as_role("owner").post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.therapist.user).exists()
    assert AuditEntry.objects.filter(subject_type="two_factor", details__event="reset by the owner").exists()


@pytest.mark.parametrize("role", ["therapist", "other_therapist", "front_desk", "client", "anonymous"])
def test_it_lets_nobody_else_reset_someones_app(cast, as_role, role):
    TOTPDevice.objects.create(user=cast.owner.user, confirmed=True, name="Owner's phone")
    url = reverse("accounts:staff_two_factor_reset", args=[cast.owner.public_id])
    assert as_role(role).post(url).status_code in (302, 404)
    assert TOTPDevice.objects.filter(user=cast.owner.user, name="Owner's phone").exists()


def test_it_resets_an_owners_app_from_the_command_line(cast):
    from django.core.management import call_command

    TOTPDevice.objects.create(user=cast.owner.user, confirmed=True, name="Lost phone")
    call_command("reset_two_factor", "--email", "Owner@Example.com")
    assert not TOTPDevice.objects.filter(user=cast.owner.user).exists()
