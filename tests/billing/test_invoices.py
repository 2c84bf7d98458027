import pytest
from django.db import IntegrityError, transaction

from bodymap.billing import actions
from bodymap.billing.models import Invoice, InvoiceLine, LineKind
from bodymap.booking.models import AppointmentStatus
from tests.billing.helpers import invoice_for


def test_it_invoices_the_posted_fee_with_tax(billed):
    invoice = invoice_for(billed)
    assert (invoice.subtotal_cents, invoice.tax_cents, invoice.total_cents) == (11000, 1430, 12430)
    assert invoice.client == billed.cast.client
    assert invoice.tax_number == "81234 5678 RT0001"
    assert invoice.number == "INV-000001"


def test_it_uses_the_therapists_own_posted_fee(billed):
    from bodymap.billing.models import TherapistFee

    TherapistFee.objects.create(service=billed.service, therapist=billed.cast.therapist, amount_cents=12000)
    assert invoice_for(billed).subtotal_cents == 12000


def test_it_refuses_to_invoice_an_appointment_not_yet_completed(billed):
    billed.appointment.status = AppointmentStatus.BOOKED
    billed.appointment.save()
    with pytest.raises(actions.BillingError):
        invoice_for(billed)
    assert not Invoice.objects.filter(appointment=billed.appointment).exists()


def test_it_takes_a_deposit_before_the_appointment(billed):
    billed.appointment.status = AppointmentStatus.BOOKED
    billed.appointment.save()
    lines = [actions.LineInput(kind=LineKind.SERVICE, description="Deposit", unit_cents=2500)]
    deposit = actions.issue_invoice(
        appointment=billed.appointment, actor=billed.cast.front_desk, lines=lines, deposit=True
    )
    assert deposit.kind == "deposit"
    assert deposit.total_cents == 2500
    # The deposit is paid; the receipt waits until the treatment has taken place.
    actions.record_payment(invoice=deposit, method="cash", amount_cents=2500, actor_user=deposit.issued_by)
    assert "took place" in actions.receipt_refusal(deposit)


def test_it_issues_one_invoice_per_appointment(billed):
    invoice_for(billed)
    with pytest.raises(actions.BillingError):
        invoice_for(billed)


def test_it_issues_a_new_invoice_after_a_void(billed):
    first = invoice_for(billed)
    actions.void_invoice(invoice=first, reason="Wrong service", actor_user=billed.cast.owner.user)
    second = invoice_for(billed)
    assert second.number != first.number


def _lines(billed, **service):
    fields = {
        "kind": LineKind.SERVICE,
        "description": "Massage",
        "unit_cents": 11000,
        "posted_cents": 11000,
        "taxable": True,
    }
    return [actions.LineInput(**(fields | service))]


def test_it_refuses_a_fee_other_than_the_posted_one_without_reason_and_acceptance(billed):
    with pytest.raises(actions.BillingError, match="posted"):
        actions.issue_invoice(
            appointment=billed.appointment, actor=billed.cast.owner, lines=_lines(billed, unit_cents=9000)
        )
    invoice = actions.issue_invoice(
        appointment=billed.appointment,
        actor=billed.cast.owner,
        lines=_lines(billed, unit_cents=9000, reason="Student rate agreed at booking", client_accepted=True),
    )
    line = invoice.lines.get()
    assert (line.posted_cents, line.unit_cents, line.client_accepted) == (11000, 9000, True)


def test_it_keeps_the_reason_for_each_discount_and_surcharge(billed):
    lines = _lines(billed) + [
        actions.LineInput(kind=LineKind.DISCOUNT, description="Discount", unit_cents=1000, taxable=True),
    ]
    with pytest.raises(actions.BillingError, match="reason"):
        actions.issue_invoice(appointment=billed.appointment, actor=billed.cast.owner, lines=lines)
    lines[1] = actions.LineInput(
        kind=LineKind.DISCOUNT,
        description="Discount",
        unit_cents=1000,
        taxable=True,
        reason="Hot stones unused",
    )
    invoice = actions.issue_invoice(appointment=billed.appointment, actor=billed.cast.owner, lines=lines)
    assert invoice.subtotal_cents == 10000
    assert invoice.lines.get(kind="discount").amount_cents == -1000


def test_it_refuses_a_discount_larger_than_the_charges(billed):
    lines = _lines(billed) + [
        actions.LineInput(kind=LineKind.DISCOUNT, description="D", unit_cents=20000, reason="typo")
    ]
    with pytest.raises(actions.BillingError):
        actions.issue_invoice(appointment=billed.appointment, actor=billed.cast.owner, lines=lines)


def test_the_database_refuses_a_total_that_does_not_add_up(billed):
    invoice = invoice_for(billed)
    fields = {f.attname: getattr(invoice, f.attname) for f in Invoice._meta.concrete_fields}
    fields.update(id=None, public_id=None, number="X-1", total_cents=99999)
    fields.pop("public_id")
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.create(**{k: v for k, v in fields.items() if k != "id"})


def test_the_database_refuses_a_changed_fee_without_acceptance(billed):
    invoice = invoice_for(billed)
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceLine.objects.create(
            invoice=invoice,
            kind="service",
            description="x",
            unit_cents=5000,
            amount_cents=5000,
            posted_cents=11000,
        )
