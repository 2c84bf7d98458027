import pytest

from bodymap.billing import actions
from bodymap.billing.models import Payment
from tests.billing.helpers import invoice_for


@pytest.fixture
def invoice(billed):
    return invoice_for(billed)


def _pay(invoice, cents, method="cash", who=None):
    return actions.record_payment(
        invoice=invoice, method=method, amount_cents=cents, actor_user=who or invoice.issued_by
    )


def test_it_takes_part_in_cash_and_the_rest_by_card(invoice):
    _pay(invoice, 5000)
    assert actions.state_of(invoice).due == 7430
    _pay(invoice, 7430, "card_terminal")
    state = actions.state_of(invoice)
    assert (state.due, state.net_paid, state.status) == (0, 12430, "Paid")


def test_it_refuses_to_take_more_than_is_due(invoice):
    _pay(invoice, 12000)
    with pytest.raises(actions.BillingError, match="more than"):
        _pay(invoice, 431)
    assert actions.state_of(invoice).due == 430


def test_it_refunds_no_more_than_was_paid(invoice, billed):
    _pay(invoice, 12430)
    owner = billed.cast.owner.user
    with pytest.raises(actions.BillingError, match="reason"):
        actions.refund_payment(invoice=invoice, method="cash", amount_cents=100, reason=" ", actor_user=owner)
    with pytest.raises(actions.BillingError):
        actions.refund_payment(
            invoice=invoice, method="cash", amount_cents=12431, reason="x", actor_user=owner
        )
    actions.refund_payment(
        invoice=invoice, method="cash", amount_cents=2430, reason="Short session", actor_user=owner
    )
    state = actions.state_of(invoice)
    assert (state.net_paid, state.due) == (10000, 2430)


def test_a_credit_note_lowers_what_is_due_and_keeps_the_invoice(invoice, billed):
    actions.add_credit_note(
        invoice=invoice, amount_cents=2430, reason="Goodwill", actor_user=billed.cast.owner.user
    )
    invoice.refresh_from_db()
    assert invoice.total_cents == 12430
    assert actions.state_of(invoice).due == 10000
    with pytest.raises(actions.BillingError):
        actions.add_credit_note(
            invoice=invoice, amount_cents=10001, reason="x", actor_user=billed.cast.owner.user
        )


def test_it_voids_only_an_invoice_with_no_money_on_it(invoice, billed):
    _pay(invoice, 100)
    with pytest.raises(actions.BillingError, match="Refund"):
        actions.void_invoice(invoice=invoice, reason="Error", actor_user=billed.cast.owner.user)
    actions.refund_payment(
        invoice=invoice, method="cash", amount_cents=100, reason="Error", actor_user=billed.cast.owner.user
    )
    actions.void_invoice(invoice=invoice, reason="Error", actor_user=billed.cast.owner.user)
    assert actions.state_of(invoice).status == "Void"
    with pytest.raises(actions.BillingError, match="void"):
        _pay(invoice, 100)


def test_it_keeps_a_clients_balance_across_invoices(as_role, billed, invoice):
    from django.urls import reverse

    _pay(invoice, 2430)
    page = as_role("front_desk").get(reverse("billing:client", args=[billed.cast.client.public_id]))
    assert "$100.00" in page.content.decode()
    assert Payment.objects.filter(invoice=invoice).count() == 1
