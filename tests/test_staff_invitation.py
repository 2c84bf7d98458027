"""An invited member of staff shows as invited until they choose a password, and the owner can send
a new link that voids the old one."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from bodymap.accounts.models import Membership
from bodymap.audit.models import AuditEntry
from tests.cast import ROLES


@pytest.fixture
def invited(as_role, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        as_role("owner").post(
            reverse("accounts:staff"),
            {"full_name": "Jo Park", "email": "jo@example.com", "role": "therapist"},
        )
    return Membership.objects.get(user__email="jo@example.com")


def link_in(message) -> str:
    return re.search(r"http://testserver(/accounts/password/set/\S+/)", message.body).group(1)


def row(page, email):
    return re.search(rf'<tr data-member="{re.escape(email)}">(.*?)</tr>', page, re.S).group(1)


def resend(http, membership):
    return http.post(reverse("accounts:staff_resend_invitation", args=[membership.public_id]))


def test_it_shows_an_invited_therapist_as_invited_until_they_accept(as_role, invited, client):
    page = as_role("owner").get(reverse("accounts:staff")).content.decode()
    assert "invited" in row(page, "jo@example.com") and ">active<" not in row(page, "jo@example.com")
    assert "Resend invitation" in row(page, "jo@example.com")
    assert ">active<" in row(page, "therapist@example.com")
    form_url = client.get(link_in(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    chosen = "a long walk by the sea"
    client.post(form_url, {"new_password1": chosen, "new_password2": chosen})
    jo = row(as_role("owner").get(reverse("accounts:staff")).content.decode(), "jo@example.com")
    assert ">active<" in jo and "Resend invitation" not in jo


def test_a_resent_invitation_voids_the_old_link(as_role, invited, client, django_capture_on_commit_callbacks):
    old = link_in(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        assert resend(as_role("owner"), invited).status_code == 302
    new = link_in(mail.outbox[1])
    assert mail.outbox[1].to == ["jo@example.com"] and new != old
    assert "This link no longer works" in client.get(old, follow=True).content.decode()
    assert client.get(new, follow=True).redirect_chain[-1][0].endswith("/set-password/")
    entries = AuditEntry.objects.filter(subject_public_id=invited.public_id, details__invitation="resent")
    assert entries.count() == 1


@pytest.mark.parametrize("role", [r for r in ROLES if r != "owner"])
def test_only_the_owner_resends(as_role, invited, role, django_capture_on_commit_callbacks):
    password = invited.user.password
    with django_capture_on_commit_callbacks(execute=True):
        response = resend(as_role(role), invited)
    assert response.status_code == (302 if role == "anonymous" else 404)
    invited.user.refresh_from_db()
    assert invited.user.password == password and len(mail.outbox) == 1


def test_it_sends_nothing_to_someone_who_already_accepted(as_role, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        resend(as_role("owner"), cast.therapist)
    assert mail.outbox == []
