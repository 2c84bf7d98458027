"""Gift cards at the desk: sell one, see what is left on each."""

from django.contrib import messages
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bodymap.access import can_sell_gift_cards, gift_cards_for, staff_required
from bodymap.audit.log import record_read
from bodymap.audit.models import AuditAction
from bodymap.billing import actions
from bodymap.billing.forms import GiftCardForm


@staff_required
@require_http_methods(["GET", "POST"])
def gift_cards(request):
    membership = request.membership
    if not can_sell_gift_cards(membership):
        raise Http404
    form = GiftCardForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                card = actions.sell_gift_card(
                    practice=membership.practice,
                    amount_cents=data["amount"],
                    method=data["method"],
                    purchaser_name=data["purchaser_name"],
                    recipient_name=data["recipient_name"],
                    expires_on=data["expires_on"],
                    actor_user=request.user,
                    request=request,
                )
            except actions.BillingError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Gift card %(code)s sold.") % {"code": card.code})
                return redirect("billing:gift_cards")
    cards = (
        gift_cards_for(membership)
        .annotate(balance=Sum("entries__amount_cents"))
        .order_by("-issued_at", "-id")
    )
    record_read(request, practice=membership.practice, subject_type="gift_cards", action=AuditAction.LIST)
    return render(
        request, "billing/staff/gift_cards.html", {"form": form, "cards": cards[:200]}, status=status
    )
