"""Asking for a portal sign-in link or a password reset: the same answer, the same work and the same
time whoever asks, a limit on how often, and a reset that lifts a lockout."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

STRANGER = "nobody.here@example.com"


def ask(url_name, email, **extra):
    http = HttpClient(**extra)
    with CaptureQueriesContext(connection) as queries:
        response = http.post(reverse(url_name), {"email": email})
    return response, [q["sql"].split()[0] for q in queries.captured_queries]


@pytest.mark.parametrize(
    ("url_name", "known"),
    [("portal:login", "sam.rivera@example.com"), ("accounts:password_reset", "therapist@example.com")],
)
def test_it_does_the_same_work_for_a_known_and_an_unknown_address(
    cast, url_name, known, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known_response, known_queries = ask(url_name, known)
        unknown_response, unknown_queries = ask(url_name, STRANGER)
    assert known_response.status_code == unknown_response.status_code
    # The page may repeat the address typed, and says nothing else about it.
    assert known_response.content.replace(known.encode(), b"@") == unknown_response.content.replace(
        STRANGER.encode(), b"@"
    )
    # The lookup and the email happen later, in a task: the request only queues it.
    assert known_queries == unknown_queries
    assert mail.outbox == []


def test_it_sends_the_portal_link_from_the_task(cast, run_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        HttpClient().post(reverse("portal:login"), {"email": "Sam.Rivera@example.com"})
    [message] = mail.outbox
    assert message.to == ["sam.rivera@example.com"]
    assert re.search(r"http://testserver/portal/sign-in/\S+/", message.body)


def test_it_sends_the_reset_link_from_the_task(cast, run_tasks):
    HttpClient().post(reverse("accounts:password_reset"), {"email": "therapist@example.com"})
    [message] = mail.outbox
    assert message.to == ["therapist@example.com"]
    assert re.search(r"http://testserver/accounts/password/set/\S+/\S+/", message.body)


@pytest.mark.parametrize("url_name", ["portal:login", "accounts:password_reset"])
def test_it_limits_requests_from_one_address(cast, settings, url_name):
    settings.BODYMAP_SIGN_IN_RATE_LIMIT = 3
    for number in range(3):
        response, _ = ask(url_name, f"person{number}@example.com", REMOTE_ADDR="203.0.113.9")
        assert response.status_code in (200, 302)
    response, _ = ask(url_name, "person9@example.com", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    # Someone else, elsewhere, is not held up.
    response, _ = ask(url_name, "other@example.com", REMOTE_ADDR="198.51.100.7")
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("url_name", ["portal:login", "accounts:password_reset"])
def test_it_limits_requests_for_one_email_from_many_addresses(cast, settings, url_name, run_tasks):
    settings.BODYMAP_SIGN_IN_RATE_LIMIT = 3
    for number in range(3):
        ask(url_name, "Sam.Rivera@example.com", REMOTE_ADDR=f"203.0.113.{number}")
    sent = len(mail.outbox)
    response, _ = ask(url_name, "sam.rivera@example.com", REMOTE_ADDR="203.0.113.99")
    assert response.status_code == 429
    assert len(mail.outbox) == sent


def test_it_lifts_a_lockout_when_the_password_is_reset(cast, settings, run_tasks):
    http = HttpClient()
    login = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        http.post(login, {"username": "therapist@example.com", "password": "guess"})
    assert (
        http.post(
            login, {"username": "therapist@example.com", "password": "correct horse battery"}
        ).status_code
        == 429
    )
    http.post(reverse("accounts:password_reset"), {"email": "therapist@example.com"})
    path = re.search(r"http://testserver(/accounts/password/set/\S+/)", mail.outbox[-1].body).group(1)
    form_url = http.get(path)["Location"]  # Django swaps the token for a session key first
    new_password = "a walk along the river"
    response = http.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    response = http.post(login, {"username": "therapist@example.com", "password": new_password})
    assert response.status_code == 302
    assert http.get(reverse("booking:dashboard")).status_code == 200
