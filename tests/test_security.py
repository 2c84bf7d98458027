"""Headers, session timeout and sign-in throttling that protect client records."""

import time

import pytest
from django.urls import reverse

from bodymap.accounts.middleware import SESSION_KEY


def test_it_sends_a_content_security_policy(as_role, cast):
    response = as_role("owner").get(reverse("booking:dashboard"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize("url_name", ["booking:dashboard", "clients:list"])
def test_it_forbids_caching_pages_with_client_data(as_role, cast, url_name):
    response = as_role("front_desk").get(reverse(url_name))
    assert "no-store" in response["Cache-Control"]


def test_it_forbids_caching_a_client_record(as_role, cast):
    response = as_role("therapist").get(reverse("clients:detail", args=[cast.client.public_id]))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_it_signs_out_staff_after_thirty_idle_minutes(as_role, cast, settings):
    assert settings.BODYMAP_STAFF_IDLE_MINUTES == 30
    http = as_role("therapist")
    assert http.get(reverse("booking:dashboard")).status_code == 200
    session = http.session
    session[SESSION_KEY] = time.time() - 31 * 60
    session.save()
    response = http.get(reverse("clients:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    # Signed out for good: the next request is refused too.
    assert http.get(reverse("booking:dashboard")).status_code == 302


def test_it_slides_the_idle_window_with_each_request(as_role, cast):
    http = as_role("therapist")
    session = http.session
    session[SESSION_KEY] = time.time() - 29 * 60
    session.save()
    assert http.get(reverse("booking:dashboard")).status_code == 200
    assert time.time() - http.session[SESSION_KEY] < 60


def test_it_signs_staff_in_with_email_and_password(client, cast):
    response = client.post(
        reverse("accounts:login"), {"username": "Therapist@Example.com", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.get(reverse("booking:dashboard")).status_code == 200


def test_it_explains_a_wrong_password_and_keeps_the_email(client, cast):
    response = client.post(
        reverse("accounts:login"), {"username": "therapist@example.com", "password": "wrong"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "do not match an account" in page
    assert 'value="therapist@example.com"' in page


def test_it_locks_out_after_repeated_failures(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "therapist@example.com", "password": "nope"})
    response = client.post(
        reverse("accounts:login"), {"username": "therapist@example.com", "password": "correct horse battery"}
    )
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()


def test_it_signs_out_only_by_post(as_role, cast):
    http = as_role("owner")
    assert http.get(reverse("accounts:logout")).status_code == 405
    assert http.post(reverse("accounts:logout")).status_code == 302
    assert http.get(reverse("booking:dashboard")).status_code == 302


def test_it_forbids_caching_pages_reached_through_a_personal_link(client, cast):
    from bodymap.intake.links import intake_path

    response = client.get(intake_path(cast.client), follow=True)
    assert response.status_code == 200 and "Sam" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "no-store" not in client.get(reverse("what_to_expect")).get("Cache-Control", "")
