import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from bodymap.billing import actions
from bodymap.billing.reports import queries
from bodymap.booking.models import Appointment
from tests.billing.helpers import invoice_for


def _day(cast, when):
    return when.astimezone(ZoneInfo(cast.practice.timezone)).date()


@pytest.fixture
def day_of_money(billed):
    """One invoice paid half in cash, half by card, then 10.00 refunded in cash, all at one instant
    in the middle of the treatment's day."""
    cast = billed.cast
    invoice = invoice_for(billed)
    at = billed.appointment.end
    desk = cast.front_desk.user
    actions.record_payment(invoice=invoice, method="cash", amount_cents=6000, actor_user=desk, received_at=at)
    actions.record_payment(
        invoice=invoice, method="card_terminal", amount_cents=6430, actor_user=desk, received_at=at
    )
    refund = actions.refund_payment(
        invoice=invoice, method="cash", amount_cents=1000, reason="Shortened", actor_user=cast.owner.user
    )
    return billed, invoice, _day(cast, refund.received_at), _day(cast, at)


def test_it_closes_the_day_by_payment_method(day_of_money):
    billed, invoice, refund_day, paid_day = day_of_money
    rows = {r["method"]: r for r in queries.daily_close(billed.cast.practice, paid_day)}
    assert rows["Card terminal"]["net"] == 6430
    expected_cash = 6000 - (1000 if refund_day == paid_day else 0)
    assert rows["Cash"]["net"] == expected_cash


def test_it_reports_revenue_tax_and_who_owes(day_of_money, cast):
    billed, invoice, _, paid_day = day_of_money
    [row] = queries.revenue_by_month(cast.practice, invoice.service_date.year)
    assert (row["revenue"], row["tax"], row["invoices"]) == (11000, 1430, 1)
    assert queries.tax_by_month(cast.practice, invoice.service_date.year)[0]["tax"] == 1430
    [owing] = queries.outstanding(cast.practice)
    assert (owing["client"], owing["owing"]) == ("Sam Rivera", 1000)


def test_it_downloads_each_report_as_csv(as_role, day_of_money):
    billed, invoice, _, paid_day = day_of_money
    response = as_role("owner").get(reverse("billing:report_csv", args=["outstanding"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["client", "invoices", "owing"], ["Sam Rivera", "1", "10.00"]]
    year = reverse("billing:report_csv", args=["revenue"]) + f"?year={invoice.service_date.year}"
    assert "110.00" in as_role("owner").get(year).content.decode()


def test_it_keeps_the_same_number_of_queries_as_the_practice_grows(billed, django_assert_num_queries):
    cast = billed.cast
    invoice_for(billed)
    day = billed.appointment.start
    year = _day(cast, day).year

    def run():
        queries.daily_close(cast.practice, _day(cast, day))
        queries.revenue_by_month(cast.practice, year)
        queries.outstanding(cast.practice)

    with django_assert_num_queries(6):
        run()
    for n in range(1, 6):
        start = billed.appointment.start - timedelta(days=n)
        more = Appointment.objects.create(
            practice=cast.practice,
            client=cast.other_client,
            therapist=cast.other_therapist,
            service=billed.service,
            service_name=billed.service.name,
            start=start,
            end=start + timedelta(hours=1),
            status="completed",
        )
        actions.issue_invoice(appointment=more, actor=cast.owner)
    with django_assert_num_queries(6):
        run()
