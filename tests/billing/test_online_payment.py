"""Online payment through Stripe Checkout, driven through the real `stripe` library against a local
stand-in for Stripe's HTTP API, with webhooks signed the way Stripe signs them. No network."""

import hashlib
import hmac
import json
import time

from django.test import Client as HttpClient
from django.urls import reverse

from bodymap.audit.models import AuditEntry
from bodymap.billing import actions
from bodymap.billing.models import OnlineCheckout, OnlineEvent, Payment
from tests.billing.helpers import invoice_for
from tests.billing.stripe_stand_in import WEBHOOK_SECRET


def signed(payload: str, secret=WEBHOOK_SECRET, at=None) -> str:
    """The Stripe-Signature header: t=<unix time>,v1=HMAC-SHA256(secret, "<t>.<payload>")."""
    at = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{at}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


def event(session_id, amount, event_id="evt_1", kind="checkout.session.completed", status="paid") -> str:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": kind,
            "data": {
                "object": {
                    "id": session_id,
                    "object": "checkout.session",
                    "payment_status": status,
                    "amount_total": amount,
                }
            },
        }
    )


def post_webhook(payload, signature):
    return HttpClient().post(
        reverse("billing:stripe_webhook"),
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )


def open_checkout(as_role, invoice):
    return as_role("client").post(reverse("portal_billing:pay_online", args=[invoice.public_id]))


def test_the_client_pays_the_balance_online_and_it_is_recorded_once(as_role, billed, stripe_api):
    invoice = invoice_for(billed)
    page = as_role("client").get(reverse("portal_billing:invoices")).content.decode()
    assert "Pay online" in page
    response = open_checkout(as_role, invoice)
    assert response.status_code == 302
    assert response["Location"] == "https://checkout.stripe.com/c/pay/cs_test_1"
    [asked] = stripe_api.created
    assert asked["form"]["line_items[0][price_data][unit_amount]"] == "12430"
    assert asked["form"]["line_items[0][price_data][currency]"] == "cad"
    assert asked["form"]["client_reference_id"] == str(invoice.public_id)
    assert asked["auth"] == "Bearer sk_test_local"
    checkout = OnlineCheckout.objects.get(invoice=invoice)
    assert (checkout.session_id, checkout.amount_cents) == ("cs_test_1", 12430)

    payload = event("cs_test_1", 12430)
    response = post_webhook(payload, signed(payload))
    assert response.status_code == 200
    payment = Payment.objects.get(invoice=invoice)
    assert (payment.method, payment.amount_cents, payment.reference) == ("online_card", 12430, "cs_test_1")
    assert actions.state_of(invoice).due == 0
    assert AuditEntry.objects.filter(subject_type="online_payment", details__outcome="recorded").count() == 1
    assert AuditEntry.objects.filter(subject_type="online_checkout").count() == 1


def test_it_refuses_a_webhook_with_a_bad_signature_and_records_nothing(as_role, billed, stripe_api):
    invoice = invoice_for(billed)
    open_checkout(as_role, invoice)
    payload = event("cs_test_1", 12430)
    for signature in (signed(payload, secret="whsec_someone_else"), "t=1,v1=00", "", signed(payload + " ")):
        assert post_webhook(payload, signature).status_code == 400
    old = signed(payload, at=int(time.time()) - 3600)  # a genuine signature, an hour old
    assert post_webhook(payload, old).status_code == 400
    assert not Payment.objects.filter(invoice=invoice).exists()
    assert not OnlineEvent.objects.exists()
    assert post_webhook(payload, signed(payload)).status_code == 200  # the same event, signed right
    assert Payment.objects.filter(invoice=invoice).count() == 1


def test_a_replayed_webhook_changes_nothing(as_role, billed, stripe_api):
    invoice = invoice_for(billed)
    open_checkout(as_role, invoice)
    payload = event("cs_test_1", 12430)
    for _ in range(3):
        assert post_webhook(payload, signed(payload)).status_code == 200
    # Stripe's other event about the same checkout, delivered too.
    other = event("cs_test_1", 12430, event_id="evt_2", kind="checkout.session.async_payment_succeeded")
    assert post_webhook(other, signed(other)).status_code == 200
    assert Payment.objects.filter(invoice=invoice).count() == 1
    assert OnlineEvent.objects.count() == 2
    assert AuditEntry.objects.filter(subject_type="online_payment").count() == 1


def test_an_online_payment_never_over_pays_an_invoice_paid_at_the_desk_meanwhile(as_role, billed, stripe_api):
    invoice = invoice_for(billed)
    open_checkout(as_role, invoice)
    actions.record_payment(
        invoice=invoice, method="cash", amount_cents=5000, actor_user=billed.cast.front_desk.user
    )
    payload = event("cs_test_1", 12430)
    assert post_webhook(payload, signed(payload)).status_code == 200
    assert list(Payment.objects.filter(invoice=invoice).values_list("method", flat=True)) == ["cash"]
    assert actions.state_of(invoice).due == 7430
    kept = OnlineEvent.objects.get()
    assert kept.outcome == "refused" and "more than" in kept.detail
    assert AuditEntry.objects.filter(subject_type="online_payment", details__outcome="refused").exists()


def test_it_ignores_a_checkout_not_yet_paid_and_one_it_never_opened(as_role, billed, stripe_api):
    invoice = invoice_for(billed)
    open_checkout(as_role, invoice)
    unpaid = event("cs_test_1", 12430, status="unpaid")
    stranger = event("cs_test_999", 12430, event_id="evt_2")
    for payload in (unpaid, stranger):
        assert post_webhook(payload, signed(payload)).status_code == 200
    assert not Payment.objects.exists()


def test_it_is_off_unless_turned_on(as_role, billed, settings):
    settings.STRIPE_ENABLED = False
    invoice = invoice_for(billed)
    assert "Pay online" not in as_role("client").get(reverse("portal_billing:invoices")).content.decode()
    assert open_checkout(as_role, invoice).status_code == 404
    payload = event("cs_test_1", 12430)
    assert post_webhook(payload, signed(payload)).status_code == 404
    assert not OnlineCheckout.objects.exists()


def test_only_the_invoiced_client_opens_a_checkout_for_it(as_role, cast, billed, stripe_api):
    invoice = invoice_for(billed)
    url = reverse("portal_billing:pay_online", args=[invoice.public_id])
    for role in ("other_client", "front_desk", "owner", "anonymous"):
        assert as_role(role).post(url).status_code in (302, 404)
    assert not OnlineCheckout.objects.exists() and not stripe_api.created
    assert as_role("client").post(url).status_code == 302  # the same request, from the invoiced client
    assert OnlineCheckout.objects.count() == 1


def test_nothing_is_opened_once_the_invoice_is_paid(as_role, billed, stripe_api):
    invoice = invoice_for(billed)
    actions.record_payment(
        invoice=invoice,
        method="cash",
        amount_cents=invoice.total_cents,
        actor_user=billed.cast.front_desk.user,
    )
    response = open_checkout(as_role, invoice)
    assert response.status_code == 302 and response["Location"] == reverse("portal_billing:invoices")
    assert not stripe_api.created and not OnlineCheckout.objects.exists()
