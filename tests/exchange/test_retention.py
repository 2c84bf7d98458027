"""Retention: which records are past it, and the owner's purge through the append-only guards."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bodymap.audit.models import AuditEntry
from bodymap.booking.models import Appointment
from bodymap.clients.models import Client
from bodymap.consent.models import ConsentRecord
from bodymap.exchange.models import PurgePermit, RetentionRule
from bodymap.exchange.retention import keep_until, past_retention
from bodymap.notes.models import PainRating, SessionNote
from tests.cast import make_client

TZ = ZoneInfo("America/Toronto")


def test_it_keeps_records_ten_years_after_the_last_visit():
    rule = RetentionRule()
    assert keep_until(rule, last_visit=date(2014, 3, 1), date_of_birth=date(1980, 1, 1)) == date(2024, 3, 1)


def test_it_keeps_a_minors_records_ten_years_after_their_18th_birthday():
    rule = RetentionRule()
    # Seen at 12: 18 in 2020, so kept until 2030, later than 2024.
    assert keep_until(rule, last_visit=date(2014, 3, 1), date_of_birth=date(2002, 6, 1)) == date(2030, 6, 1)


def _records(cast, client, when):
    visit = Appointment.objects.create(
        practice=cast.practice,
        client=client,
        therapist=cast.therapist,
        start=when,
        end=when + timedelta(hours=1),
        status="completed",
    )
    note = SessionNote.objects.create(
        practice=cast.practice,
        client=client,
        appointment=visit,
        therapist=cast.therapist,
        subjective="Low back sore",
        signed_at=when + timedelta(hours=2),
        signed_by=cast.therapist.user,
        signature="T",
    )
    PainRating.objects.create(
        client=client, note=note, region="low_back", rating=6, recorded_at=note.signed_at
    )
    ConsentRecord.objects.create(
        practice=cast.practice,
        client=client,
        region="gluteal",
        decision="granted",
        method="in_person",
        given_at=when,
    )
    return visit, note


@pytest.fixture
def old_and_recent(cast):
    old = make_client(cast.practice, "Olga", "Past", cast.therapist)
    _records(cast, old, datetime(2001, 5, 2, 10, tzinfo=TZ))
    recent = cast.client
    _records(cast, recent, timezone.now() - timedelta(days=30))
    return old, recent


def test_the_report_lists_only_clients_past_retention(cast, old_and_recent):
    old, _recent = old_and_recent
    assert [d.client for d in past_retention(cast.practice)] == [old]


def test_the_purge_removes_exactly_the_past_retention_clients_records(as_role, cast, old_and_recent):
    old, recent = old_and_recent
    before = {
        "notes": SessionNote.objects.exclude(client=old).count(),
        "consents": ConsentRecord.objects.exclude(client=old).count(),
        "visits": Appointment.objects.exclude(client=old).count(),
    }
    response = as_role("owner").post(
        reverse("exchange:retention"), {"client": [str(old.public_id)], "confirm": "destroy"}
    )
    assert response.status_code == 200
    assert not Client.objects.filter(pk=old.pk).exists()
    for model in (SessionNote, ConsentRecord, Appointment, PainRating):
        assert not model.objects.filter(client_id=old.pk).exists()
    assert SessionNote.objects.count() == before["notes"]
    assert ConsentRecord.objects.count() == before["consents"]
    assert Appointment.objects.count() == before["visits"]
    assert Client.objects.filter(pk=recent.pk).exists()
    assert not PurgePermit.objects.exists()
    entry = AuditEntry.objects.get(subject_public_id=old.public_id, details__destroyed="past retention")
    assert entry.actor == cast.owner.user and entry.details["records"]["notes"] == 1


def test_it_refuses_to_purge_a_client_still_within_retention(as_role, cast, old_and_recent):
    _old, recent = old_and_recent
    as_role("owner").post(
        reverse("exchange:retention"), {"client": [str(recent.public_id)], "confirm": "destroy"}
    )
    assert SessionNote.objects.filter(client=recent).exists()


@pytest.mark.parametrize("role", ["therapist", "front_desk", "client"])
def test_only_the_owner_may_purge(as_role, cast, old_and_recent, role):
    old, _recent = old_and_recent
    response = as_role(role).post(
        reverse("exchange:retention"), {"client": [str(old.public_id)], "confirm": "destroy"}
    )
    assert response.status_code == 404
    assert SessionNote.objects.filter(client=old).exists()
    assert not AuditEntry.objects.filter(details__destroyed="past retention").exists()


@pytest.mark.parametrize("model", [SessionNote, ConsentRecord, PainRating])
def test_a_plain_delete_is_still_refused(cast, old_and_recent, model):
    old, _recent = old_and_recent
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(client_id=old.pk).delete()
    assert model.objects.filter(client_id=old.pk).exists()


def test_an_update_is_refused_even_inside_a_purge(cast, old_and_recent):
    old, _recent = old_and_recent
    with pytest.raises(IntegrityError), transaction.atomic():
        PurgePermit.objects.create()
        ConsentRecord.objects.filter(client_id=old.pk).update(decision="declined")


def test_the_owner_lengthens_the_rule_and_the_client_is_kept(as_role, cast, old_and_recent):
    old, _recent = old_and_recent
    response = as_role("owner").post(
        reverse("exchange:retention"),
        {
            "action": "rule",
            "years_after_last_visit": "30",
            "age_of_majority": "18",
            "years_after_majority": "10",
        },
    )
    assert response.status_code == 302
    assert past_retention(cast.practice) == []
    assert AuditEntry.objects.filter(subject_type="retention rule", actor=cast.owner.user).exists()


def test_a_rule_below_the_legal_floor_is_refused(as_role, cast, old_and_recent):
    response = as_role("owner").post(
        reverse("exchange:retention"),
        {
            "action": "rule",
            "years_after_last_visit": "2",
            "age_of_majority": "18",
            "years_after_majority": "10",
        },
    )
    assert response.status_code == 400
    assert not RetentionRule.objects.filter(practice=cast.practice).exists()


def test_the_front_desk_cannot_change_the_rule(as_role, cast):
    response = as_role("front_desk").post(
        reverse("exchange:retention"),
        {
            "action": "rule",
            "years_after_last_visit": "30",
            "age_of_majority": "18",
            "years_after_majority": "10",
        },
    )
    assert response.status_code == 404
    assert not RetentionRule.objects.filter(practice=cast.practice).exists()
