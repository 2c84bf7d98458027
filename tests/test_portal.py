"""Clients sign in to the portal with a one-time link sent by email."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bodymap.accounts.models import PortalLink, User
from bodymap.audit.models import AuditAction, AuditEntry

# The sign-in link goes out from a background task; here it runs at once.
pytestmark = pytest.mark.usefixtures("run_tasks")


def request_link(http, email):
    return http.post(reverse("portal:login"), {"email": email})


def link_from_outbox():
    return re.search(r"http://testserver(/portal/sign-in/\S+/)", mail.outbox[-1].body).group(1)


@pytest.fixture
def anonymous(client):
    return client


def test_it_emails_a_link_that_signs_the_client_in(anonymous, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = request_link(anonymous, "Sam.Rivera@example.com")
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam.rivera@example.com"]
    assert "Breathe Deeply Massage" in mail.outbox[0].subject
    url = link_from_outbox()
    # Opening the link only shows a button, so mail scanners cannot use it up.
    assert anonymous.get(url).status_code == 200
    assert anonymous.get(reverse("portal:home")).status_code == 302
    response = anonymous.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert "Sam" in anonymous.get(reverse("portal:home")).content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.SIGN_IN, actor=cast.client.user).exists()


def test_it_works_only_once(anonymous, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_link(anonymous, cast.client.email)
    url = link_from_outbox()
    anonymous.post(url)
    anonymous.post(reverse("accounts:logout"))
    response = anonymous.post(url)
    assert response.status_code == 410
    assert "This link no longer works" in response.content.decode()


def test_it_expires(anonymous, cast, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        request_link(anonymous, cast.client.email)
    PortalLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert anonymous.post(link_from_outbox()).status_code == 410
    assert anonymous.get(reverse("portal:home")).status_code == 302


def test_it_connects_a_new_client_on_first_sign_in(anonymous, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_link(anonymous, cast.booked_client.email)
    anonymous.post(link_from_outbox())
    cast.booked_client.refresh_from_db()
    assert cast.booked_client.user is not None
    assert cast.booked_client.user.email == cast.booked_client.email
    assert not cast.booked_client.user.has_usable_password()
    assert "Marcus" in anonymous.get(reverse("portal:home")).content.decode()


@pytest.mark.parametrize("email", ["nobody@example.com", "therapist@example.com"])
def test_it_says_the_same_thing_and_sends_nothing_to_strangers_and_staff(
    anonymous, cast, email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = request_link(anonymous, email)
    assert f"If {email} belongs to a client" in response.content.decode()
    assert mail.outbox == []


def test_it_stores_only_a_hash_of_the_token(anonymous, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_link(anonymous, cast.client.email)
    token = link_from_outbox().rstrip("/").rsplit("/", 1)[1]
    assert not PortalLink.objects.filter(token_hash=token).exists()
    assert PortalLink.objects.count() == 1


def test_it_rejects_a_malformed_email_beside_the_field(anonymous, cast):
    response = request_link(anonymous, "not an email <b>")
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert "not an email &lt;b&gt;" in page


def test_it_keeps_client_accounts_out_of_staff_pages(as_role, cast):
    assert User.objects.get(pk=cast.client.user.pk).memberships.count() == 0
    assert as_role("client").get(reverse("clients:list")).status_code == 404
