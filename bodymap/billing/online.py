"""Online card payments through Stripe Checkout, when the practice turns them on (STRIPE_ENABLED).

A client pays what an invoice still asks for (a deposit or a balance) on Stripe's hosted page. The
money is recorded only when Stripe's signed webhook says the checkout was paid, through the same
`record_payment` as at the desk, so it can never over-pay an invoice. Each webhook event is kept
once (`OnlineEvent`): a replayed event, or a second event about the same checkout, changes nothing.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.billing.actions import BillingError, _lock, record_payment, state_of
from bodymap.billing.models import OnlineCheckout, OnlineEvent, OnlineEventOutcome, PaymentMethod

# Stripe sends both when a payment method settles later; whichever comes first records the payment.
PAID_EVENTS = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}
ACTOR_LABEL = "stripe-webhook"


class BadWebhook(Exception):
    """The request was not a webhook signed with this practice's endpoint secret."""


def enabled() -> bool:
    return settings.STRIPE_ENABLED


def _stripe():
    # Imported when used: the library takes a fifth of a second to import, and most practices
    # never turn online payment on.
    import stripe

    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=0,
    )


def start_checkout(*, invoice, actor_user, success_url, cancel_url, request=None) -> str:
    """Open a Checkout Session for what the invoice still asks for and return its page's address."""
    if not enabled():
        raise BillingError(_("Online payment is not turned on."))
    state = state_of(invoice)
    if state.voided or state.due <= 0:
        raise BillingError(_("Nothing is due on this invoice."))
    from stripe import StripeError

    # Stripe is asked outside any database transaction, so no row stays locked while it answers.
    try:
        session = _stripe().v1.checkout.sessions.create(
            params={
                "mode": "payment",
                "client_reference_id": str(invoice.public_id),
                "metadata": {"invoice": str(invoice.public_id), "practice": str(invoice.practice.public_id)},
                "line_items": [
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": invoice.currency.lower(),
                            "unit_amount": state.due,
                            "product_data": {"name": _("Invoice %(number)s") % {"number": invoice.number}},
                        },
                    }
                ],
                "success_url": success_url,
                "cancel_url": cancel_url,
            }
        )
    except StripeError:
        raise BillingError(_("The card payment page could not be opened; please try again later.")) from None
    with transaction.atomic():
        checkout = OnlineCheckout.objects.create(
            practice=invoice.practice, invoice=invoice, session_id=session.id, amount_cents=state.due
        )
        record(
            actor=actor_user,
            practice=invoice.practice,
            action=AuditAction.CREATE,
            subject_type="online_checkout",
            subject_public_id=checkout.public_id,
            request=request,
            invoice=str(invoice.public_id),
            amount_cents=state.due,
        )
    return session.url


def verified_event(payload: bytes, signature: str | None):
    """The event, if Stripe signed it with the endpoint's secret (and recently: replays of old
    signatures are refused by the library's five-minute tolerance)."""
    from stripe import SignatureVerificationError, Webhook

    try:
        return Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
    except (SignatureVerificationError, ValueError) as error:
        raise BadWebhook(str(error)) from None


def handle_event(event) -> OnlineEvent:
    """Act on a verified event exactly once. A duplicate delivery returns the row kept the first time."""
    kept = OnlineEvent.objects.filter(event_id=event.id).first()
    if kept is not None:
        return kept
    try:
        with transaction.atomic():
            return _handle(event)
    except IntegrityError:
        # The same event, or another about the same checkout, was handled at this very moment.
        found = OnlineEvent.objects.filter(event_id=event.id).first()
        if found is None:
            found = OnlineEvent(event_id=event.id, event_type=event.type, outcome=OnlineEventOutcome.IGNORED)
        return found


def _handle(event) -> OnlineEvent:
    if event.type not in PAID_EVENTS:
        return _keep(event, OnlineEventOutcome.IGNORED, detail="not a payment event")
    session = event.data.object
    checkout = OnlineCheckout.objects.filter(session_id=session.id).select_related("invoice").first()
    if checkout is None:
        return _keep(event, OnlineEventOutcome.IGNORED, detail="no checkout of ours has this id")
    if session.payment_status != "paid":
        return _keep(event, OnlineEventOutcome.IGNORED, checkout, detail="not paid yet")
    invoice = _lock(checkout.invoice)
    if OnlineEvent.objects.filter(checkout=checkout).exclude(outcome=OnlineEventOutcome.IGNORED).exists():
        return _keep(event, OnlineEventOutcome.IGNORED, checkout, detail="already settled")
    amount = int(session.amount_total or 0)
    try:
        with transaction.atomic():
            payment = record_payment(
                invoice=invoice,
                method=PaymentMethod.ONLINE_CARD,
                amount_cents=amount,
                reference=session.id,
                actor_user=None,
                actor_label=ACTOR_LABEL,
            )
    except BillingError as error:
        # The card was charged but the invoice no longer owes it (paid at the desk meanwhile):
        # nothing is recorded, and the owner sees the refusal to refund it in Stripe.
        kept = _keep(event, OnlineEventOutcome.REFUSED, checkout, detail=error.message)
        _audit(invoice, kept, amount, refused=error.message)
        return kept
    kept = _keep(event, OnlineEventOutcome.RECORDED, checkout, payment=payment)
    _audit(invoice, kept, amount)
    return kept


def _keep(event, outcome, checkout=None, payment=None, detail=""):
    return OnlineEvent.objects.create(
        event_id=event.id,
        event_type=event.type[:100],
        checkout=checkout,
        outcome=outcome,
        payment=payment,
        detail=detail[:300],
    )


def _audit(invoice, kept, amount, **details):
    record(
        actor=None,
        actor_label=ACTOR_LABEL,
        practice=invoice.practice,
        action=AuditAction.CREATE,
        subject_type="online_payment",
        subject_public_id=kept.checkout.public_id,
        invoice=str(invoice.public_id),
        event=kept.event_id,
        outcome=kept.outcome,
        amount_cents=amount,
        **details,
    )
