import pytest

from tests.billing.helpers import set_up_billing


@pytest.fixture
def billed(cast):
    return set_up_billing(cast)
