"""Stripe's webhook, and the portal's "Pay online" button that opens a Checkout Session."""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bodymap.access import client_user_required, get_portal_invoice
from bodymap.billing import online
from bodymap.billing.actions import BillingError


@csrf_exempt  # Stripe cannot hold a CSRF token; its signature proves where the request came from.
@require_POST
def stripe_webhook(request):
    if not online.enabled():
        raise Http404
    try:
        event = online.verified_event(request.body, request.headers.get("Stripe-Signature"))
    except online.BadWebhook:
        return HttpResponseBadRequest("invalid signature")
    kept = online.handle_event(event)
    return HttpResponse(kept.outcome, content_type="text/plain")


@client_user_required
@require_POST
def pay_online(request, public_id):
    """Send the client to Stripe's page to pay what this invoice of theirs still asks for."""
    if not online.enabled():
        raise Http404
    invoice = get_portal_invoice(request, public_id)
    back = request.build_absolute_uri(reverse("portal_billing:invoices"))
    try:
        url = online.start_checkout(
            invoice=invoice,
            actor_user=request.user,
            success_url=back + "?paid=online",
            cancel_url=back,
            request=request,
        )
    except BillingError as error:
        messages.error(request, error.message)
        return redirect("portal_billing:invoices")
    return redirect(url, permanent=False)
