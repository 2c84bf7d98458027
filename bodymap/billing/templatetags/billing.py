"""Fees, tax and the cancellation policy wherever a client chooses or is told about a booking."""

from django import template

from bodymap.billing.money import fmt, tax_on

register = template.Library()


@register.filter
def money(cents, currency=""):
    if cents is None or cents == "":
        return ""
    return fmt(int(cents), currency)


def _settings(practice):
    from bodymap.billing.models import BillingSettings

    return BillingSettings.objects.filter(practice=practice).first()


@register.inclusion_tag("billing/tags/fee.html")
def posted_fee(service, therapist=None):
    """The posted fee of a service (the therapist's own where it differs) with its tax."""
    from bodymap.billing.actions import posted_fee as fee_of
    from bodymap.billing.actions import service_billing

    if service is None:
        return {"fee": None}
    conf = _settings(service.practice)
    fee = fee_of(service, therapist) if therapist is not None else int(service.price * 100)
    billing = service_billing(service)
    taxable = bool(billing and billing.taxable and conf and conf.tax_rate_bp)
    return {
        "fee": fee,
        "currency": conf.currency if conf else "",
        "tax": tax_on(fee, conf.tax_rate_bp) if taxable else 0,
        "tax_name": conf.tax_name if taxable else "",
    }


@register.inclusion_tag("billing/tags/policy.html")
def cancellation_policy(practice, plain=False):
    conf = _settings(practice)
    return {"policy": conf.cancellation_policy if conf else "", "plain": plain}
