from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from bodymap.billing import actions
from bodymap.billing.models import GiftCard, GiftCardEntry
from bodymap.billing.reports import queries
from tests.billing.helpers import invoice_for


def _sell(cast, cents=10000, **extra):
    return actions.sell_gift_card(
        practice=cast.practice,
        amount_cents=cents,
        method="card_terminal",
        purchaser_name="Ana Lima",
        actor_user=cast.front_desk.user,
        **extra,
    )


def _pay_with(invoice, card_code, cents):
    return actions.record_payment(
        invoice=invoice,
        method="gift_card",
        amount_cents=cents,
        gift_card_code=card_code,
        actor_user=invoice.issued_by,
    )


def test_it_sells_a_card_with_a_code_that_reads_aloud(cast):
    card = _sell(cast)
    assert len(card.code) == 14 and not set(card.code) & set("01OIL")
    assert actions.gift_card_balance(card) == 10000


def test_it_pays_part_of_an_invoice_from_a_card_and_keeps_the_rest(billed):
    card = _sell(billed.cast)
    invoice = invoice_for(billed)
    payment = _pay_with(invoice, card.code.lower().replace("-", " "), 6000)  # typed loosely at the desk
    assert payment.reference == card.code
    assert actions.gift_card_balance(card) == 4000
    assert GiftCardEntry.objects.get(payment=payment).amount_cents == -6000
    with pytest.raises(actions.BillingError, match="left on this gift card"):
        _pay_with(invoice, card.code, 4001)
    assert actions.state_of(invoice).due == 6430


def test_it_refuses_an_expired_card_or_another_practices_code(billed, cast):
    two_days_ago = timezone.now().astimezone(ZoneInfo(cast.practice.timezone)).date() - timedelta(days=2)
    expired = _sell(cast, expires_on=two_days_ago)
    invoice = invoice_for(billed)
    with pytest.raises(actions.BillingError, match="expired"):
        _pay_with(invoice, expired.code, 100)
    foreign = actions.sell_gift_card(
        practice=cast.other_practice,
        amount_cents=5000,
        method="cash",
        purchaser_name="X",
        actor_user=cast.outsider.user,
    )
    with pytest.raises(actions.BillingError, match="No gift card"):
        _pay_with(invoice, foreign.code, 100)
    assert actions.state_of(invoice).net_paid == 0


def test_it_counts_a_sale_in_the_daily_close_and_what_is_still_owed(billed):
    cast = billed.cast
    card = _sell(cast)
    _pay_with(invoice_for(billed), card.code, 2500)
    day = card.issued_at.astimezone(ZoneInfo(cast.practice.timezone)).date()
    close = {r["method"]: r["net"] for r in queries.daily_close(cast.practice, day)}
    assert close["Gift cards sold, Card terminal"] == 10000
    assert queries.gift_card_liability(cast.practice) == {"sold": 10000, "owed": 7500}


def test_front_desk_sells_a_card_from_the_page(as_role, cast):
    form = {"amount": "75.00", "method": "cash", "purchaser_name": "Ana Lima", "recipient_name": "Bea"}
    assert as_role("front_desk").post(reverse("billing:gift_cards"), form).status_code == 302
    card = GiftCard.objects.get(practice=cast.practice)
    assert actions.gift_card_balance(card) == 7500
    assert card.code in as_role("front_desk").get(reverse("billing:gift_cards")).content.decode()


def test_a_therapist_cannot_sell_a_card(as_role, cast):
    form = {"amount": "75.00", "method": "cash", "purchaser_name": "Ana Lima"}
    assert as_role("therapist").post(reverse("billing:gift_cards"), form).status_code == 404
    assert not GiftCard.objects.filter(practice=cast.practice).exists()
