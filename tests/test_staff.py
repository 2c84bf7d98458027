"""The owner invites staff, who choose their own password; access can be ended and restored."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from bodymap.accounts.models import Membership
from bodymap.audit.models import AuditEntry
from tests.cast import ROLES


@pytest.mark.parametrize("role", ROLES)
def test_it_checks_ownership(as_role, cast, role):
    response = as_role(role).get(reverse("accounts:staff"))
    expected = {"owner": 200, "anonymous": 302}.get(role, 404)
    assert response.status_code == expected
    response = as_role(role).post(
        reverse("accounts:staff_access", args=[cast.therapist.public_id]), {"active": "0"}
    )
    assert response.status_code == (302 if role in ("owner", "anonymous") else 404)
    cast.therapist.refresh_from_db()
    assert cast.therapist.is_active is (role != "owner")


def invite(http, **data):
    return http.post(
        reverse("accounts:staff"),
        {"full_name": "Jo Park", "email": "jo@example.com", "role": "therapist", **data},
    )


def test_it_invites_a_therapist_who_sets_a_password_and_signs_in(
    as_role, cast, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(as_role("owner"))
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="jo@example.com")
    assert membership.role == "therapist" and membership.provides_treatment
    assert AuditEntry.objects.filter(subject_type="membership", action="create").exists()
    link = re.search(r"http://testserver(/accounts/password/set/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "a long walk by the sea", "new_password2": "a long walk by the sea"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("accounts:login"), {"username": "jo@example.com", "password": "a long walk by the sea"}
    )
    assert response.status_code == 302
    assert client.get(reverse("booking:dashboard")).status_code == 200


def test_front_desk_never_treats_and_an_owner_may(as_role, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_role("owner"), email="desk2@example.com", role="front_desk", treats="on")
        invite(as_role("owner"), email="co@example.com", role="owner", treats="on")
    assert Membership.objects.get(user__email="desk2@example.com").provides_treatment is False
    assert Membership.objects.get(user__email="co@example.com").provides_treatment is True


def test_it_explains_a_bad_invitation_beside_the_field(as_role, cast):
    page = invite(as_role("owner"), email="therapist@example.com").content.decode()
    assert "This person is already on the staff." in page
    page = invite(as_role("owner"), email="not-an-email", full_name="").content.decode()
    assert "Enter a valid email address." in page and "This field is required." in page
    assert 'value="not-an-email"' in page


def test_ending_access_locks_the_person_out_and_keeps_their_records(as_role, cast):
    therapist = as_role("therapist")
    as_role("owner").post(reverse("accounts:staff_access", args=[cast.therapist.public_id]), {"active": "0"})
    assert therapist.get(reverse("clients:list")).status_code == 404
    assert cast.client.assigned_therapist_id == cast.therapist.pk
    as_role("owner").post(reverse("accounts:staff_access", args=[cast.therapist.public_id]), {"active": "1"})
    assert therapist.get(reverse("clients:list")).status_code == 200


def test_the_owner_cannot_end_their_own_access(as_role, cast):
    response = as_role("owner").post(
        reverse("accounts:staff_access", args=[cast.owner.public_id]), {"active": "0"}, follow=True
    )
    assert "You cannot end your own access." in response.content.decode()
    cast.owner.refresh_from_db()
    assert cast.owner.is_active


def test_staff_can_reset_a_forgotten_password(client, cast, run_tasks):
    client.post(reverse("accounts:password_reset"), {"email": "therapist@example.com"})
    assert len(mail.outbox) == 1 and "/accounts/password/set/" in mail.outbox[0].body
    # Portal clients have no password to reset: they sign in by link.
    client.post(reverse("accounts:password_reset"), {"email": cast.client.email})
    assert len(mail.outbox) == 1
