"""Email is plain text: a practice called "Smith & O'Brien" is written that way, not as HTML."""

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.urls import reverse

from bodymap.accounts.staff import invite_staff

NAME = "Smith & O'Brien <Massage>"


@pytest.fixture
def practice(cast):
    cast.practice.name = NAME
    cast.practice.save()
    return cast.practice


def test_it_writes_the_portal_link_subject_as_plain_text(
    practice, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        HttpClient().post(reverse("portal:login"), {"email": "sam.rivera@example.com"})
    [message] = mail.outbox
    assert NAME in message.subject
    assert NAME in message.body


def test_it_writes_the_invitation_subject_as_plain_text(practice, cast, django_capture_on_commit_callbacks):
    request = RequestFactory().post("/")
    request.user = cast.owner.user
    with django_capture_on_commit_callbacks(execute=True):
        invite_staff(
            practice=practice,
            email="new.person@example.com",
            full_name="New Person",
            role="therapist",
            treats=True,
            request=request,
        )
    [message] = mail.outbox
    assert message.subject == f"You have been invited to {NAME} on Bodymap"
