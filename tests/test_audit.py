"""The audit trail: an entry with every action, in the same transaction, and never changed."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from bodymap.audit.models import AuditAction, AuditEntry
from bodymap.clients.models import Client


def entries_for(subject):
    return AuditEntry.objects.filter(subject_public_id=subject.public_id)


def test_it_records_viewing_a_client(as_role, cast):
    as_role("therapist").get(
        reverse("clients:detail", args=[cast.client.public_id]), REMOTE_ADDR="203.0.113.9"
    )
    entry = entries_for(cast.client).get(action=AuditAction.VIEW)
    assert entry.actor == cast.therapist.user
    assert entry.actor_label == "therapist@example.com"
    assert entry.practice == cast.practice
    assert entry.subject_type == "client"
    assert entry.ip_address == "203.0.113.9"
    assert entry.created_at is not None and entry.created_at.tzinfo is not None


def test_it_records_creating_a_client(as_role, cast):
    response = as_role("front_desk").post(
        reverse("clients:new"),
        {
            "first_name": "Nora",
            "last_name": "Halvorsen",
            "email": "nora@example.com",
            "assigned_therapist": str(cast.therapist.public_id),
        },
    )
    assert response.status_code == 302
    client = Client.objects.get(email="nora@example.com")
    entry = entries_for(client).get()
    assert entry.action == AuditAction.CREATE
    assert entry.actor == cast.front_desk.user
    assert "email" in entry.details["fields"]


def test_it_records_which_fields_changed_but_not_their_values(as_role, cast):
    as_role("owner").post(
        reverse("clients:edit", args=[cast.client.public_id]),
        {
            "first_name": "Sam",
            "last_name": "Rivera",
            "email": cast.client.email,
            "phone": "416-555-0142",
            "date_of_birth": "1980-05-17",
            "assigned_therapist": str(cast.therapist.public_id),
        },
    )
    entry = entries_for(cast.client).get(action=AuditAction.CHANGE)
    assert entry.details["fields"] == ["phone"]
    assert "416-555-0142" not in str(entry.details)


def test_it_records_searching_the_client_list(as_role, cast):
    as_role("owner").get(reverse("clients:list"), {"q": "rivera"})
    entry = AuditEntry.objects.get(action=AuditAction.LIST)
    assert entry.details == {"searched": True, "shown": 1}


def test_it_records_a_client_viewing_their_own_record(as_role, cast):
    as_role("client").get(reverse("portal:home"))
    entry = entries_for(cast.client).get(action=AuditAction.VIEW)
    assert entry.actor == cast.client.user
    assert entry.details == {"via": "portal"}


def test_it_writes_nothing_when_access_is_refused(as_role, cast):
    as_role("other_therapist").get(reverse("clients:detail", args=[cast.client.public_id]))
    assert not entries_for(cast.client).exists()


def test_it_rolls_back_the_action_when_the_audit_entry_cannot_be_written(as_role, cast, monkeypatch):
    """The entry and the action commit together or not at all."""

    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("bodymap.clients.actions.record", broken)
    http = as_role("owner")
    http.raise_request_exception = False
    response = http.post(reverse("clients:new"), {"first_name": "Lost", "last_name": "Write"})
    assert response.status_code == 500
    assert not Client.objects.filter(first_name="Lost").exists()


def test_it_refuses_to_write_an_entry_outside_a_transaction(cast):
    from bodymap.audit.log import record

    with pytest.raises(RuntimeError, match="inside the action's transaction"):
        # pytest-django wraps the test in a transaction; leave it to prove the guard.
        connection.in_atomic_block, saved = False, connection.in_atomic_block
        try:
            record(actor=None, action=AuditAction.VIEW, subject_type="client")
        finally:
            connection.in_atomic_block = saved


@pytest.fixture
def entry(cast):
    with transaction.atomic():
        from bodymap.audit.log import record

        return record(
            actor=cast.owner.user,
            practice=cast.practice,
            action=AuditAction.VIEW,
            subject_type="client",
            subject_public_id=cast.client.public_id,
        )


def test_it_refuses_an_orm_update(entry):
    entry.actor_label = "someone else"
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).actor_label == "owner@example.com"


def test_it_refuses_an_sql_update(entry):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET action = 'change'")
    assert AuditEntry.objects.get(pk=entry.pk).action == AuditAction.VIEW


def test_it_refuses_an_orm_delete(entry):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_it_refuses_an_sql_delete(entry):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def _table(response):
    page = response.content.decode()
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_it_lets_the_owner_filter_the_log(as_role, cast):
    as_role("therapist").get(reverse("clients:detail", args=[cast.client.public_id]))
    as_role("front_desk").get(reverse("clients:detail", args=[cast.other_client.public_id]))
    http = as_role("owner")
    rows = _table(http.get(reverse("audit:log"), {"actor": str(cast.therapist.public_id)}))
    assert cast.therapist.display_name in rows
    assert cast.front_desk.display_name not in rows
    rows = _table(http.get(reverse("audit:log"), {"subject": str(cast.other_client.public_id)}))
    assert "Elena Kowalski" in rows and cast.therapist.display_name not in rows
    rows = _table(http.get(reverse("audit:log"), {"action": "create"}))
    assert "No entries match." in rows


def test_it_explains_a_bad_filter_beside_the_field(as_role, cast):
    response = as_role("owner").get(
        reverse("audit:log"), {"subject": "not-a-uuid", "date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid UUID." in page
    assert "The end date is before the start date." in page


def test_it_never_shows_another_practices_entries(as_role, cast):
    as_role("outsider").get(reverse("clients:detail", args=[cast.foreign_client.public_id]))
    rows = _table(as_role("owner").get(reverse("audit:log")))
    assert "outsider@example.com" not in rows and "Outsider" not in rows
