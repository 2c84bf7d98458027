"""Issued money records refuse UPDATE and DELETE in the database itself (SQLite and PostgreSQL)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from bodymap.billing import actions
from bodymap.billing.models import (
    CreditNote,
    GiftCard,
    GiftCardEntry,
    Invoice,
    InvoiceLine,
    InvoiceVoid,
    OnlineCheckout,
    OnlineEvent,
    Package,
    PackageEntry,
    Payment,
    Receipt,
    StaffSignature,
)
from bodymap.booking.models import Appointment
from tests.billing.helpers import paid_invoice

TABLES = [
    Invoice,
    InvoiceLine,
    Payment,
    CreditNote,
    InvoiceVoid,
    Receipt,
    StaffSignature,
    GiftCard,
    GiftCardEntry,
    Package,
    PackageEntry,
    OnlineCheckout,
    OnlineEvent,
]


@pytest.fixture
def records(billed):
    cast = billed.cast
    invoice = paid_invoice(billed)
    actions.issue_receipt(invoice=invoice, actor_user=cast.front_desk.user)
    actions.refund_payment(
        invoice=invoice, method="cash", amount_cents=430, reason="r", actor_user=cast.owner.user
    )
    actions.add_credit_note(invoice=invoice, amount_cents=430, reason="c", actor_user=cast.owner.user)
    later = Appointment.objects.create(
        practice=cast.practice,
        client=cast.client,
        therapist=cast.therapist,
        service=billed.service,
        start=billed.appointment.start - timedelta(days=3),
        end=billed.appointment.end - timedelta(days=3),
        status="completed",
    )
    voided = actions.issue_invoice(appointment=later, actor=cast.owner)
    actions.void_invoice(invoice=voided, reason="error", actor_user=cast.owner.user)
    actions.sell_gift_card(
        practice=cast.practice,
        amount_cents=5000,
        method="cash",
        purchaser_name="Ana",
        actor_user=cast.owner.user,
    )
    package = actions.sell_package(
        client=cast.client,
        service=billed.service,
        sessions=5,
        price_cents=50000,
        method="card_terminal",
        expires_on=timezone.localdate() + timedelta(days=90),
        actor_user=cast.front_desk.user,
    )
    actions.close_package(package=package, kind="voided", reason="Sold in error", actor_user=cast.owner.user)
    checkout = OnlineCheckout.objects.create(
        practice=cast.practice, invoice=invoice, session_id="cs_test_1", amount_cents=100
    )
    OnlineEvent.objects.create(event_id="evt_1", event_type="ping", checkout=checkout, outcome="ignored")
    return {model: model.objects.all() for model in TABLES}


@pytest.mark.parametrize("model", TABLES, ids=lambda m: m.__name__)
def test_it_refuses_an_sql_update(records, model):
    assert records[model].exists()
    column = "id"
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {model._meta.db_table} SET {column} = {column}")  # noqa: S608


@pytest.mark.parametrize("model", TABLES, ids=lambda m: m.__name__)
def test_it_refuses_an_sql_delete(records, model):
    before = records[model].count()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608
    assert model.objects.count() == before


def test_it_refuses_an_orm_change_of_an_amount(records):
    payment = Payment.objects.first()
    payment.amount_cents = 1
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        payment.save()
    assert Payment.objects.get(pk=payment.pk).amount_cents != 1
