"""An invitation never takes over an account that already exists."""

from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from bodymap.accounts.models import Membership
from tests.cast import pass_second_factor


def invite(http, email):
    return http.post(reverse("accounts:staff"), {"full_name": "Jo Park", "email": email, "role": "therapist"})


def test_it_refuses_to_invite_someone_who_is_staff_elsewhere(cast, django_capture_on_commit_callbacks):
    outsider = HttpClient()
    outsider.force_login(cast.outsider.user)
    pass_second_factor(outsider, cast.outsider.user)
    password = cast.therapist.user.password
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(outsider, cast.therapist.user.email)
    assert response.status_code == 200
    assert not Membership.objects.filter(practice=cast.other_practice, user=cast.therapist.user).exists()
    assert mail.outbox == []
    cast.therapist.user.refresh_from_db()
    assert cast.therapist.user.password == password


def test_it_refuses_to_invite_a_clients_portal_account(as_role, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(as_role("owner"), cast.client.email)
    assert response.status_code == 200
    assert not Membership.objects.filter(user=cast.client.user).exists()
    assert mail.outbox == []
    assert as_role("client").get(reverse("portal:home")).status_code == 200
