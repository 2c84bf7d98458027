"""Twenty desks take a payment on one invoice at once: it is never over-paid; twenty desks use one
package for twenty appointments at once: no more sessions are used than it has. On SQLite and on
PostgreSQL; as in the booking race, SQLite runs them in a child pytest on a file database."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from bodymap.billing import actions
from bodymap.billing.models import PackageEntry, Payment
from bodymap.booking.models import Appointment
from tests.billing.helpers import invoice_for, set_up_billing
from tests.booking.test_concurrency import THREADS, _race
from tests.browser.conftest import APPS
from tests.cast import build_cast

pytestmark = pytest.mark.django_db(transaction=True, available_apps=APPS)


def _in_memory_sqlite():
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def test_it_races_payments_on_a_sqlite_file_database(tmp_path):
    if not _in_memory_sqlite():
        pytest.skip("this database is shared between threads as it is")
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "BODYMAP_TEST_SQLITE": str(tmp_path / "pay.sqlite3"), "BODYMAP_ENV": "development"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603 - our own test file, run by our own interpreter
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "not file_database", __file__],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "2 passed" in result.stdout, result.stdout[-2000:]


def test_it_never_over_pays_an_invoice_paid_from_twenty_desks_at_once():
    if _in_memory_sqlite():
        pytest.skip("run on a file database by test_it_races_payments_on_a_sqlite_file_database")
    cast = build_cast()
    invoice = invoice_for(set_up_billing(cast))
    assert invoice.total_cents == 12430

    def pay(i):
        try:
            actions.record_payment(
                invoice=invoice, method="cash", amount_cents=1000, actor_user=cast.front_desk.user
            )
        except actions.BillingError:
            return "refused"
        return "paid"

    results = _race(pay)
    assert results.count("paid") == 12, results
    assert results.count("refused") == THREADS - 12, results
    assert sum(Payment.objects.filter(invoice=invoice).values_list("amount_cents", flat=True)) == 12000
    assert actions.state_of(invoice).due == 430


def test_it_never_uses_more_package_sessions_than_remain_from_twenty_desks_at_once():
    if _in_memory_sqlite():
        pytest.skip("run on a file database by test_it_races_payments_on_a_sqlite_file_database")
    cast = build_cast()
    billed = set_up_billing(cast)
    package = actions.sell_package(
        client=cast.client,
        service=billed.service,
        sessions=3,
        price_cents=30000,
        method="cash",
        expires_on=timezone.localdate() + timedelta(days=30),
        actor_user=cast.front_desk.user,
    )
    invoices = []
    for i in range(THREADS):
        start = billed.appointment.start - timedelta(days=i + 1)
        appointment = Appointment.objects.create(
            practice=cast.practice,
            client=cast.client,
            therapist=cast.therapist,
            service=billed.service,
            start=start,
            end=start + timedelta(hours=1),
            status="completed",
        )
        invoices.append(actions.issue_invoice(appointment=appointment, actor=cast.front_desk))

    def use(i):
        try:
            actions.record_payment(
                invoice=invoices[i],
                method="package",
                amount_cents=0,
                package_id=package.public_id,
                actor_user=cast.front_desk.user,
            )
        except actions.BillingError:
            return "refused"
        return "used"

    results = _race(use)
    assert results.count("used") == 3, results
    assert results.count("refused") == THREADS - 3, results
    assert PackageEntry.objects.filter(package=package, kind="redeemed").count() == 3
    assert actions.package_state(package).sessions_left == 0
