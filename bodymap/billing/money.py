"""Money as integer minor units (cents). Never a float: amounts are parsed from text as Decimal."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def to_cents(value) -> int:
    """'12.50', Decimal('12.5') or 12 (dollars) → 1250. Refuses fractions of a cent and negatives."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter an amount such as 95.00.")) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(_("Enter an amount of zero or more."))
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValidationError(_("Amounts are in whole cents."))
    return int(cents)


def tax_on(cents: int, rate_basis_points: int) -> int:
    """Tax on an amount at a rate in hundredths of a percent (1300 = 13 %), rounded half up."""
    exact = Decimal(cents) * Decimal(rate_basis_points) / Decimal(10000)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fmt(cents: int, currency: str = "") -> str:
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(int(cents)), 100)
    text = f"{sign}${whole:,}.{part:02d}"
    return f"{text} {currency}".strip()
