"""Staff send intake links and never see them; the link reads nothing once its intake is in."""

import re

from django.core import mail
from django.urls import reverse

from bodymap.audit.models import AuditAction, AuditEntry
from bodymap.intake.links import intake_path
from bodymap.intake.models import Intake
from tests.intake.helpers import fill_intake, step_url


def test_it_never_shows_staff_the_intake_link(as_role, cast):
    for role in ("front_desk", "owner", "therapist"):
        page = as_role(role).get(reverse("clients:detail", args=[cast.client.public_id])).content.decode()
        assert "/intake/" not in page, role


def test_it_emails_the_link_to_the_client_only(as_role, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("front_desk").post(
            reverse("clients:send_intake_link", args=[cast.client.public_id])
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[cast.client.email]]
    assert "/intake/" in mail.outbox[0].body
    page = as_role("front_desk").get(response["Location"]).content.decode()
    assert "/intake/" not in page


def test_it_stops_reading_answers_once_the_intake_is_submitted(client, cast):
    path = intake_path(cast.client)
    token = path.rstrip("/").rsplit("/", 1)[1]
    response = fill_intake(client, cast.client)
    assert response.status_code == 302
    intakes = Intake.objects.filter(client=cast.client).count()
    for step in ("about", "review"):
        page = client.get(reverse("intake:step", args=[token, step]))
        assert page.status_code in (302, 404, 410)
        assert cast.client.phone not in page.content.decode()
    assert client.post(path).status_code == 410
    assert client.get(path).status_code == 410
    assert cast.client.phone not in client.get(path).content.decode()
    assert Intake.objects.filter(client=cast.client).count() == intakes


def test_it_audits_every_read_through_the_link(client, cast):
    client.get(intake_path(cast.client))
    before = AuditEntry.objects.filter(action=AuditAction.VIEW, subject_type="intake").count()
    page = client.get(step_url(cast.client, "about"))
    assert page.status_code == 200 and cast.client.phone in page.content.decode()
    after = AuditEntry.objects.filter(action=AuditAction.VIEW, subject_type="intake")
    assert after.count() == before + 1
    assert after.order_by("-id").first().actor is None


def test_it_holds_contact_changes_from_the_link_for_staff_review(client, as_role, cast):
    original = (cast.client.email, cast.client.phone)
    typed = cast.client
    typed.email, typed.phone = "someone.else@example.com", "416-555-7777"
    assert fill_intake(client, typed).status_code == 302
    cast.client.refresh_from_db()
    assert (cast.client.email, cast.client.phone) == original
    page = as_role("front_desk").get(reverse("clients:detail", args=[cast.client.public_id])).content.decode()
    assert "416-555-7777" in page and "someone.else@example.com" in page


def test_it_applies_a_reviewed_phone_change_and_asks_to_confirm_a_new_email(
    client, as_role, cast, django_capture_on_commit_callbacks
):
    typed = cast.client
    old_email = typed.email
    typed.email, typed.phone = "someone.else@example.com", "416-555-7777"
    fill_intake(client, typed)
    cast.client.refresh_from_db()
    change = cast.client.contact_changes.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("front_desk").post(
            reverse("clients:review_contact_change", args=[cast.client.public_id, change.public_id]),
            {"decision": "accept"},
        )
    assert response.status_code == 302
    cast.client.refresh_from_db()
    assert cast.client.phone == "416-555-7777"
    assert cast.client.email == old_email  # until the new address confirms it
    assert sorted(m.to[0] for m in mail.outbox) == sorted([old_email, "someone.else@example.com"])
    assert re.search(r"/clients/email/[^/\s]+/", mail.outbox[0].body + mail.outbox[1].body)


def test_it_lets_only_staff_who_see_the_client_review_contact_changes(client, as_role, cast):
    typed = cast.client
    typed.phone = "416-555-7777"
    fill_intake(client, typed)
    cast.client.refresh_from_db()
    change = cast.client.contact_changes.get()
    url = reverse("clients:review_contact_change", args=[cast.client.public_id, change.public_id])
    for role in ("other_therapist", "client", "other_client"):
        assert as_role(role).post(url, {"decision": "accept"}).status_code == 404, role
    assert as_role("anonymous").post(url, {"decision": "accept"}).status_code == 302
    change.refresh_from_db()
    cast.client.refresh_from_db()
    assert change.decision == "pending" and cast.client.phone != "416-555-7777"
    assert as_role("therapist").post(url, {"decision": "dismiss"}).status_code == 302
    change.refresh_from_db()
    assert change.decision == "dismissed"
