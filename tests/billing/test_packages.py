"""Packages of sessions: sold to one client for one service, used one session at a time at checkout,
never past their expiry, for someone else or beyond what is left."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from bodymap.billing import actions
from bodymap.billing.models import Package, PackageEntry, Payment
from bodymap.billing.reports import queries
from bodymap.booking.models import Appointment, Service
from tests.billing.helpers import invoice_for


def _local_day(cast, when):
    return when.astimezone(ZoneInfo(cast.practice.timezone)).date()


def _sell(billed, client=None, sessions=3, price=30000, days=90, service=None):
    cast = billed.cast
    return actions.sell_package(
        client=client or cast.client,
        service=service or billed.service,
        sessions=sessions,
        price_cents=price,
        method="card_terminal",
        expires_on=timezone.localdate() + timedelta(days=days),
        actor_user=cast.front_desk.user,
    )


def _use(invoice, package, actor=None):
    return actions.record_payment(
        invoice=invoice,
        method="package",
        amount_cents=0,
        package_id=package.public_id,
        actor_user=(actor or invoice.issued_by),
    )


def _appointment(billed, days_ago, client=None, service=None):
    start = billed.appointment.start - timedelta(days=days_ago)
    return Appointment.objects.create(
        practice=billed.cast.practice,
        client=client or billed.cast.client,
        therapist=billed.cast.therapist,
        service=service or billed.service,
        service_name="Massage therapy, 60 minutes",
        start=start,
        end=start + timedelta(hours=1),
        status="completed",
    )


def test_it_pays_one_session_share_and_leaves_the_rest_due(billed):
    package = _sell(billed, sessions=3, price=30000)
    invoice = invoice_for(billed)  # 110.00 + 13 % HST = 124.30
    payment = _use(invoice, package)
    assert (payment.method, payment.amount_cents) == ("package", 10000)
    assert actions.state_of(invoice).due == 2430
    state = actions.package_state(package)
    assert (state.sessions_left, state.value_left) == (2, 20000)
    entry = PackageEntry.objects.get(payment=payment)
    assert (entry.kind, entry.sessions, entry.amount_cents) == ("redeemed", -1, -10000)


def test_it_gives_the_last_session_the_remainder_so_the_shares_add_up(billed):
    package = _sell(billed, sessions=3, price=10000)  # 33.33 + 33.33 + 33.34
    paid = []
    for days_ago in (0, 7, 14):
        appointment = billed.appointment if days_ago == 0 else _appointment(billed, days_ago)
        invoice = actions.issue_invoice(appointment=appointment, actor=billed.cast.front_desk)
        paid.append(_use(invoice, package).amount_cents)
    assert paid == [3333, 3333, 3334]
    assert actions.package_state(package).value_left == 0
    fourth = actions.issue_invoice(appointment=_appointment(billed, 21), actor=billed.cast.front_desk)
    with pytest.raises(actions.BillingError, match="No sessions are left"):
        _use(fourth, package)
    assert not Payment.objects.filter(invoice=fourth).exists()


def test_it_never_uses_another_clients_package(billed):
    cast = billed.cast
    theirs = _sell(billed, client=cast.other_client)
    invoice = invoice_for(billed)
    with pytest.raises(actions.BillingError, match="this client's packages"):
        _use(invoice, theirs)
    assert actions.package_state(theirs).sessions_left == 3
    assert not Payment.objects.filter(invoice=invoice).exists()


def test_it_never_uses_a_package_for_another_service(billed):
    cast = billed.cast
    other = Service.objects.create(
        practice=cast.practice, name="Hot stone, 90 minutes", slug="stone-90", minutes=90, price="150.00"
    )
    package = _sell(billed, service=other)
    invoice = invoice_for(billed)
    with pytest.raises(actions.BillingError, match="another service"):
        _use(invoice, package)
    assert actions.package_state(package).sessions_left == 3


def test_it_never_uses_an_expired_package(billed):
    package = _sell(billed, days=10)
    invoice = invoice_for(billed)
    with time_machine.travel(timezone.now() + timedelta(days=12)):
        with pytest.raises(actions.BillingError, match="expired"):
            _use(invoice, package)
        entry = actions.close_package(
            package=package, kind="expired", reason="", actor_user=invoice.issued_by
        )
    assert (entry.sessions, entry.amount_cents) == (-3, -30000)
    assert entry.reason.startswith("Expired on")
    assert actions.package_state(package).sessions_left == 0


def test_it_refuses_to_expire_a_package_still_in_date(billed):
    package = _sell(billed)
    with pytest.raises(actions.BillingError, match="still in date"):
        actions.close_package(package=package, kind="expired", reason="", actor_user=billed.cast.owner.user)
    assert actions.package_state(package).sessions_left == 3


def test_it_uses_one_session_per_appointment(billed):
    package = _sell(billed, sessions=3, price=9000)  # 30.00 a session, less than the fee
    invoice = invoice_for(billed)
    _use(invoice, package)
    with pytest.raises(actions.BillingError, match="already used"):
        _use(invoice, package)
    assert actions.package_state(package).sessions_left == 2


def test_it_voids_a_package_with_the_reason_and_writes_off_what_is_left(billed):
    package = _sell(billed)
    _use(invoice_for(billed), package)
    entry = actions.close_package(
        package=package, kind="voided", reason="Client moved away", actor_user=billed.cast.owner.user
    )
    assert (entry.sessions, entry.amount_cents, entry.reason) == (-2, -20000, "Client moved away")
    with pytest.raises(actions.BillingError, match="already closed"):
        actions.close_package(
            package=package, kind="voided", reason="again", actor_user=billed.cast.owner.user
        )


def test_it_reports_what_is_owed_on_packages_and_sales_in_the_close(billed):
    cast = billed.cast
    package = _sell(billed, sessions=4, price=40000)
    _use(invoice_for(billed), package)
    today = timezone.localdate()
    assert queries.package_liability(cast.practice, today) == {"sold": 40000, "sessions": 3, "owed": 30000}
    close = {
        r["method"]: r["net"] for r in queries.daily_close(cast.practice, _local_day(cast, package.sold_at))
    }
    assert close.get("Packages sold, Card terminal") == 40000
    with time_machine.travel(timezone.now() + timedelta(days=100)):
        later = timezone.localdate()
    assert queries.package_liability(cast.practice, later)["owed"] == 0


def test_it_downloads_the_package_liability_as_csv(as_role, billed):
    _sell(billed, sessions=4, price=40000)
    response = as_role("owner").get(reverse("billing:report_csv", args=["packages"]))
    assert response.content.decode().splitlines() == ["sold,sessions,owed", "400.00,4,400.00"]


def test_front_desk_sells_a_package_from_the_clients_account(as_role, billed):
    cast = billed.cast
    url = reverse("billing:sell_package", args=[cast.client.public_id])
    data = {
        "service": str(billed.service.public_id),
        "sessions": "5",
        "price": "500.00",
        "method": "cash",
        "expires_on": (timezone.localdate() + timedelta(days=180)).isoformat(),
    }
    response = as_role("front_desk").post(url, data)
    assert response.status_code == 302
    package = Package.objects.get(client=cast.client)
    assert (package.sessions, package.price_cents) == (5, 50000)
    page = as_role("front_desk").get(reverse("billing:client", args=[cast.client.public_id])).content.decode()
    assert "5 / 5" in page
    # The packages are on the page once, and the window's title is only the account's name.
    assert page.count("Sell a package") == 1
    assert "<section" not in page.split("<title>", 1)[1].split("</title>", 1)[0]


def test_a_therapist_may_not_sell_a_package(as_role, billed):
    cast = billed.cast
    url = reverse("billing:sell_package", args=[cast.client.public_id])
    data = {
        "service": str(billed.service.public_id),
        "sessions": "5",
        "price": "500.00",
        "method": "cash",
        "expires_on": (timezone.localdate() + timedelta(days=180)).isoformat(),
    }
    assert as_role("therapist").post(url, data).status_code == 404
    assert not Package.objects.exists()
    assert as_role("front_desk").post(url, data).status_code == 302  # the same request, allowed


def test_the_desk_pays_with_a_package_session_on_the_invoice_page(as_role, billed):
    package = _sell(billed)
    invoice = invoice_for(billed)
    page = as_role("front_desk").get(reverse("billing:invoice", args=[invoice.public_id]))
    assert "3 of 3 sessions left" in page.content.decode()
    response = as_role("front_desk").post(
        reverse("billing:pay", args=[invoice.public_id]),
        {"method": "package", "package": str(package.public_id), "amount": ""},
    )
    assert response.status_code == 302
    assert Payment.objects.get(invoice=invoice).amount_cents == 10000


def test_only_the_owner_voids_a_package_and_the_desk_expires_one(as_role, billed):
    package = _sell(billed)
    url = reverse("billing:close_package", args=[package.public_id])
    void = {"kind": "voided", "reason": "Sold in error"}
    assert as_role("front_desk").post(url, void).status_code == 404
    assert as_role("therapist").post(url, void).status_code == 404
    assert actions.package_state(package).sessions_left == 3
    assert as_role("owner").post(url, void).status_code == 302
    assert actions.package_state(package).sessions_left == 0


def test_the_client_sees_sessions_left_in_the_portal(billed, as_role):
    package = _sell(billed, sessions=5, price=50000)
    _use(invoice_for(billed), package)
    page = as_role("client").get(reverse("portal_billing:invoices")).content.decode()
    assert "My packages" in page and "4 of 5" in page
