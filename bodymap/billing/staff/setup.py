"""The owner's billing setup: currency, tax registration, cancellation policy and posted fees."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bodymap.access import owner_required
from bodymap.accounts.models import Membership
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.billing import actions
from bodymap.billing.forms import BillingSettingsForm, MoneyField
from bodymap.billing.models import ServiceBilling, TherapistFee
from bodymap.booking.models import Service


def _fee_key(service, therapist):
    return f"fee-{service.pk}-{therapist.pk}"


@owner_required
@require_http_methods(["GET", "POST"])
def billing_setup(request):
    practice = request.membership.practice
    conf = actions.settings_for(practice)
    form = BillingSettingsForm(request.POST or None, instance=conf, prefix="settings")
    services = list(Service.objects.filter(practice=practice, is_active=True).prefetch_related("therapists"))
    therapists = list(Membership.objects.therapists().filter(practice=practice).select_related("user"))
    billing = {b.service_id: b for b in ServiceBilling.objects.filter(service__in=services)}
    fees = {(f.service_id, f.therapist_id): f for f in TherapistFee.objects.filter(service__in=services)}
    errors = []
    if request.method == "POST":
        changes = []
        parser = MoneyField(required=False, allow_zero=True)
        for service in services:
            for therapist in therapists:
                raw = request.POST.get(_fee_key(service, therapist), "").strip()
                try:
                    changes.append((service, therapist, parser.clean(raw)))
                except Exception as error:  # noqa: BLE001 - a ValidationError, reported per field
                    errors.append(f"{service.name}, {therapist.display_name}: {' '.join(error.messages)}")
        if form.is_valid() and not errors:
            with transaction.atomic():
                form.save()
                for service in services:
                    ServiceBilling.objects.update_or_create(
                        service=service,
                        defaults={
                            "taxable": request.POST.get(f"taxable-{service.pk}") == "on",
                            "is_massage_therapy": request.POST.get(f"rmt-{service.pk}") == "on",
                        },
                    )
                for service, therapist, cents in changes:
                    if cents is None or cents == int(service.price * 100):
                        TherapistFee.objects.filter(service=service, therapist=therapist).delete()
                    else:
                        TherapistFee.objects.update_or_create(
                            service=service, therapist=therapist, defaults={"amount_cents": cents}
                        )
                record(
                    actor=request.user,
                    practice=practice,
                    action=AuditAction.CHANGE,
                    subject_type="billing_settings",
                    subject_public_id=practice.public_id,
                    request=request,
                )
            messages.success(request, _("Fees and tax saved."))
            return redirect("billing:setup")
    rows = [
        {
            "service": s,
            "billing": billing.get(s.pk),
            "fees": [
                {
                    "therapist": t,
                    "key": _fee_key(s, t),
                    "value": request.POST.get(_fee_key(s, t))
                    if request.method == "POST"
                    else _dollars(fees[(s.pk, t.pk)].amount_cents)
                    if (s.pk, t.pk) in fees
                    else "",
                }
                for t in therapists
            ],
        }
        for s in services
    ]
    return render(
        request,
        "billing/staff/setup.html",
        {"form": form, "rows": rows, "therapists": therapists, "errors": errors},
        status=400 if errors or (request.method == "POST" and not form.is_valid()) else 200,
    )


def _dollars(cents):
    return f"{cents // 100}.{cents % 100:02d}"
