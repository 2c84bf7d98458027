"""Changing a client's email asks the new address to confirm and tells the old one; the portal
follows the address on file."""

import re

from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from bodymap.clients.models import Client


def edit(http, client, **changes):
    data = {
        "first_name": client.first_name,
        "last_name": client.last_name,
        "email": client.email,
        "phone": client.phone,
        "date_of_birth": client.date_of_birth.isoformat(),
        **changes,
    }
    return http.post(reverse("clients:edit", args=[client.public_id]), data)


def confirm_url(message):
    return re.search(r"https?://[^/\s]+(/clients/email/[^/\s]+/)", message.body).group(1)


def test_it_does_not_change_a_clients_email_until_the_new_address_confirms(
    as_role, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(as_role("front_desk"), cast.client, email="desk.friend@example.com")
    assert response.status_code == 302
    cast.client.refresh_from_db()
    assert cast.client.email == "sam.rivera@example.com"
    assert {m.to[0] for m in mail.outbox} == {"sam.rivera@example.com", "desk.friend@example.com"}
    notice = next(m for m in mail.outbox if m.to == ["sam.rivera@example.com"])
    assert "desk.friend@example.com" not in notice.body and "/clients/email/" not in notice.body


def test_it_never_binds_a_portal_account_through_an_unconfirmed_address(
    as_role, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edit(as_role("front_desk"), cast.client, email="desk.friend@example.com")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        HttpClient().post(reverse("portal:login"), {"email": "desk.friend@example.com"})
    assert mail.outbox == []
    cast.client.refresh_from_db()
    assert cast.client.user.email == "sam.rivera@example.com"


def test_it_moves_the_portal_to_the_confirmed_address(as_role, cast, django_capture_on_commit_callbacks):
    old_user = cast.client.user
    with django_capture_on_commit_callbacks(execute=True):
        edit(as_role("front_desk"), cast.client, email="sam.new@example.com")
    url = confirm_url(next(m for m in mail.outbox if m.to == ["sam.new@example.com"]))
    visitor = HttpClient()
    assert visitor.get(url).status_code == 200
    cast.client.refresh_from_db()
    assert cast.client.email == "sam.rivera@example.com"  # a GET (a mail scanner) changes nothing
    assert visitor.post(url).status_code == 200
    cast.client.refresh_from_db()
    assert cast.client.email == "sam.new@example.com" and cast.client.user is None
    signed_in = HttpClient()
    signed_in.force_login(old_user)
    assert signed_in.get(reverse("portal:home")).status_code == 404
    assert visitor.post(url).status_code == 410  # used once


def test_it_ends_a_portal_binding_when_the_address_on_file_changes(as_role, cast):
    Client.objects.filter(pk=cast.client.pk).update(email="changed@example.com")
    assert as_role("client").get(reverse("portal:home")).status_code == 404
