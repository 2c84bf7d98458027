from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from bodymap.billing.money import fmt, tax_on, to_cents


@pytest.mark.parametrize(
    ("typed", "cents"), [("95", 9500), ("95.5", 9550), ("1,250.05", 125005), (" 0.01 ", 1)]
)
def test_it_reads_amounts_as_exact_cents(typed, cents):
    assert to_cents(typed) == cents


@pytest.mark.parametrize("typed", ["", "abc", "-5", "1.005", "NaN", "Infinity"])
def test_it_refuses_amounts_that_are_not_whole_cents(typed):
    with pytest.raises(ValidationError):
        to_cents(typed)


def test_it_rounds_tax_half_up_to_the_cent():
    assert tax_on(11000, 1300) == 1430
    assert tax_on(50, 1300) == 7  # 6.5 cents
    assert tax_on(10, 500) == 1  # 0.5 cents


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=5000))
def test_it_never_drifts_from_exact_decimal_tax(cents, rate):
    exact = Decimal(cents) * rate / 10000
    assert abs(Decimal(tax_on(cents, rate)) - exact) <= Decimal("0.5")


def test_it_formats_cents_for_people():
    assert fmt(123456, "CAD") == "$1,234.56 CAD"
    assert fmt(-500) == "-$5.00"
