"""Consent records: append-only, superseded by newer decisions, enforced in every plan."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from bodymap.consent.actions import record_consent, withdraw_consent
from bodymap.consent.models import ConsentRecord
from bodymap.consent.state import RegionConsent, consent_for
from tests.intake.helpers import fill_intake


@pytest.fixture
def granted(cast):
    return record_consent(
        client=cast.client,
        region="gluteal",
        decision="granted",
        method="link",
        explanation="why gluteals matter",
        signature="Sam Rivera",
    )


def test_it_refuses_an_orm_update(granted):
    granted.decision = "declined"
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        granted.save()
    assert ConsentRecord.objects.get(pk=granted.pk).decision == "granted"


def test_it_refuses_an_sql_update(granted):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE consent_consentrecord SET decision = 'declined'")
    assert ConsentRecord.objects.get(pk=granted.pk).decision == "granted"


def test_it_refuses_an_orm_delete(granted):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        ConsentRecord.objects.filter(pk=granted.pk).delete()
    assert ConsentRecord.objects.filter(pk=granted.pk).exists()


def test_it_refuses_an_sql_delete(granted):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM consent_consentrecord")
    assert ConsentRecord.objects.filter(pk=granted.pk).exists()


def test_it_supersedes_a_decision_with_a_withdrawal(cast, granted):
    assert consent_for(cast.client)["gluteal"].decision == "granted"
    withdrawal = withdraw_consent(client=cast.client, region="gluteal", request=None, actor=cast.client.user)
    assert withdrawal.supersedes == granted
    current = consent_for(cast.client)["gluteal"]
    assert current.state == "withdrawn" and current.decision == "declined"
    assert ConsentRecord.objects.filter(client=cast.client).count() == 2  # the old record is kept


def test_it_treats_a_sensitive_region_never_asked_about_as_declined(cast):
    consents = consent_for(cast.client)
    assert {c.state for c in consents.values()} == {"not_asked"}
    assert not any(c.allows_work for c in consents.values())


def test_it_asks_for_confirmation_before_each_treatment_when_the_practice_wants_it(cast, granted):
    appointment = cast.client.appointments.get()
    assert cast.practice.confirm_consent_each_treatment is True  # the default
    assert consent_for(cast.client, appointment)["gluteal"].state == "not_confirmed"
    assert consent_for(cast.client, appointment)["gluteal"].decision == "declined"
    record_consent(
        client=cast.client,
        region="gluteal",
        decision="over_drape",
        method="in_person",
        appointment=appointment,
        signature="Sam Rivera",
    )
    assert consent_for(cast.client, appointment)["gluteal"].decision == "over_drape"
    # Another appointment needs its own confirmation.
    assert consent_for(cast.client, cast.appointment)["gluteal"].state == "not_confirmed"


def test_it_uses_standing_consent_when_the_practice_does_not_ask_each_time(cast, granted):
    cast.practice.confirm_consent_each_treatment = False
    cast.practice.save()
    cast.client.practice.refresh_from_db()
    appointment = cast.client.appointments.get()
    assert consent_for(cast.client, appointment)["gluteal"].decision == "granted"


def test_it_lets_a_client_withdraw_consent_from_the_portal(as_role, cast, client):
    fill_intake(client, cast.client, consent={"gluteal": "over_drape"})
    http = as_role("client")
    page = http.get(reverse("portal:consent")).content.decode()
    assert "Withdraw consent for the buttock" in page
    response = http.post(reverse("portal:withdraw", args=["gluteal"]), follow=True)
    assert "You have withdrawn your consent" in response.content.decode()
    record = ConsentRecord.objects.filter(client=cast.client, region="gluteal").latest("given_at")
    assert record.decision == "withdrawn" and record.method == "portal"
    assert record.recorded_by == cast.client.user


def test_it_does_not_let_a_client_withdraw_another_clients_consent(as_role, cast, client):
    fill_intake(client, cast.other_client, consent={"gluteal": "granted"})
    as_role("client").post(reverse("portal:withdraw", args=["gluteal"]))
    assert consent_for(cast.other_client)["gluteal"].decision == "granted"


def test_it_ignores_an_unknown_region(as_role, cast):
    assert as_role("client").post(reverse("portal:withdraw", args=["elbow"])).status_code == 404


def test_each_region_carries_its_own_state_and_the_decision_behind_it(cast, granted):
    """What the chart and the portal show beside each region: its state and the record in force."""
    appointment = cast.client.appointments.get()
    assert consent_for(cast.client)["gluteal"] == RegionConsent("gluteal", "granted", granted, "granted")
    assert consent_for(cast.client)["abdomen"] == RegionConsent("abdomen", "declined", None, "not_asked")
    # Not confirmed for this session: declined for the plan, yet the standing yes is still shown.
    assert consent_for(cast.client, appointment)["gluteal"] == RegionConsent(
        "gluteal", "declined", granted, "not_confirmed"
    )


def test_a_later_decision_wins_even_when_recorded_in_the_same_instant(cast):
    with time_machine.travel(datetime(2031, 3, 12, 9, 0, tzinfo=UTC), tick=False):
        for decision in ("granted", "withdrawn"):
            record_consent(
                client=cast.client, region="gluteal", decision=decision, method="in_person", signature="Sam"
            )
    assert consent_for(cast.client)["gluteal"].state == "withdrawn"


def test_an_imported_earlier_decision_does_not_override_a_newer_one(cast, granted):
    """Records imported from another system keep their own dates, older than what is already here."""
    record_consent(
        client=cast.client,
        region="gluteal",
        decision="declined",
        method="in_person",
        signature="Sam Rivera",
        given_at=granted.given_at - timedelta(days=365),
    )
    assert consent_for(cast.client)["gluteal"].state == "granted"
