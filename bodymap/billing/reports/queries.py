"""The owner's reports. Each is a fixed number of aggregate queries, whatever the practice's size."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import BigIntegerField, Case, Count, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from bodymap.accounts.models import Membership
from bodymap.billing.models import CreditNote, GiftCardEntry, Invoice, Payment, PaymentKind, PaymentMethod


def _local_day(practice, day: date):
    tz = ZoneInfo(practice.timezone)
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def daily_close(practice, day: date) -> list[dict]:
    """Money taken and given back on one day in the practice's zone, by payment method: payments on
    invoices and gift cards sold. Spending a gift card shows as its own method, not as money taken."""
    start, end = _local_day(practice, day)
    rows = (
        Payment.objects.filter(practice=practice, received_at__gte=start, received_at__lt=end)
        .values("method")
        .annotate(
            taken=Coalesce(Sum("amount_cents", filter=Q(kind=PaymentKind.PAYMENT)), 0),
            refunded=Coalesce(Sum("amount_cents", filter=Q(kind=PaymentKind.REFUND)), 0),
        )
        .order_by("method")
    )
    sold = (
        GiftCardEntry.objects.filter(
            gift_card__practice=practice, amount_cents__gt=0, created_at__gte=start, created_at__lt=end
        )
        .values("method")
        .annotate(total=Sum("amount_cents"))
        .order_by("method")
    )
    labels = dict(PaymentMethod.choices)
    close = [
        {
            "method": str(labels.get(r["method"], r["method"])),
            "taken": r["taken"],
            "refunded": r["refunded"],
            "net": r["taken"] - r["refunded"],
        }
        for r in rows
    ]
    close += [
        {
            "method": str(
                _("Gift cards sold, %(method)s") % {"method": labels.get(r["method"], r["method"])}
            ),
            "taken": r["total"],
            "refunded": 0,
            "net": r["total"],
        }
        for r in sold
    ]
    return close


def gift_card_liability(practice) -> dict:
    """What the practice still owes in treatments on gift cards it sold."""
    totals = GiftCardEntry.objects.filter(gift_card__practice=practice).aggregate(
        owed=Sum("amount_cents"), sold=Sum("amount_cents", filter=Q(amount_cents__gt=0))
    )
    return {"owed": totals["owed"] or 0, "sold": totals["sold"] or 0}


def _live_invoices(practice):
    return Invoice.objects.not_void().filter(practice=practice)


def _credited():
    return Coalesce(
        Subquery(
            CreditNote.objects.filter(invoice=OuterRef("pk"))
            .values("invoice")
            .annotate(total=Sum("amount_cents"))
            .values("total")[:1],
            output_field=BigIntegerField(),
        ),
        0,
    )


def _year(year: int):
    return {"service_date__gte": date(year, 1, 1), "service_date__lt": date(year + 1, 1, 1)}


def revenue_by_month(practice, year: int) -> list[dict]:
    """Invoiced revenue (before tax, less credit notes) by month, therapist and service.

    Rows are grouped by day in SQL and rolled up to months here: truncating dates in SQL runs a
    Python function per row on SQLite, and a year has at most a few thousand day groups."""
    group = ["service_date", "therapist_id", "appointment__service_name"]
    invoiced = (
        _live_invoices(practice)
        .filter(**_year(year))
        .values(*group)
        .annotate(invoices=Count("id"), revenue=Sum("subtotal_cents"), tax=Sum("tax_cents"))
        .order_by()
    )
    credited = (
        CreditNote.objects.filter(invoice__in=_live_invoices(practice).filter(**_year(year)))
        .values(*(f"invoice__{g}" for g in group))
        .annotate(total=Sum("amount_cents"))
        .order_by()
    )
    months: dict = defaultdict(lambda: {"invoices": 0, "revenue": 0, "tax": 0})
    for row in invoiced:
        cell = months[(row["service_date"].strftime("%Y-%m"), row["therapist_id"], row[group[2]] or "")]
        cell["invoices"] += row["invoices"]
        cell["revenue"] += row["revenue"]
        cell["tax"] += row["tax"]
    for row in credited:
        key = (row["invoice__service_date"].strftime("%Y-%m"), row["invoice__therapist_id"])
        months[(*key, row[f"invoice__{group[2]}"] or "")]["revenue"] -= row["total"]
    names = {
        m.pk: m.user.full_name or m.user.email
        for m in Membership.objects.filter(practice=practice).select_related("user")
    }
    return [
        {"month": month, "therapist": names.get(therapist, ""), "service": service, **cell}
        for (month, therapist, service), cell in sorted(
            months.items(), key=lambda item: (item[0][0], names.get(item[0][1], ""), item[0][2])
        )
    ]


def tax_by_month(practice, year: int) -> list[dict]:
    rows = (
        _live_invoices(practice)
        .filter(tax_cents__gt=0, **_year(year))
        .values("service_date", "tax_name")
        .annotate(sales=Sum("subtotal_cents"), tax=Sum("tax_cents"))
        .order_by()
    )
    months: dict = defaultdict(lambda: {"sales": 0, "tax": 0})
    for row in rows:
        cell = months[(row["service_date"].strftime("%Y-%m"), row["tax_name"])]
        cell["sales"] += row["sales"]
        cell["tax"] += row["tax"]
    return [{"month": m, "tax_name": name, **cell} for (m, name), cell in sorted(months.items())]


def outstanding(practice) -> list[dict]:
    """Clients who owe money: invoiced, less credit notes, less what they paid net of refunds."""
    paid = Coalesce(
        Subquery(
            Payment.objects.filter(invoice=OuterRef("pk"))
            .values("invoice")
            .annotate(
                net=Sum(
                    Case(
                        When(kind=PaymentKind.REFUND, then=-F("amount_cents")),
                        default=F("amount_cents"),
                        output_field=BigIntegerField(),
                    )
                )
            )
            .values("net")[:1],
            output_field=BigIntegerField(),
        ),
        0,
    )
    rows = (
        _live_invoices(practice)
        .annotate(due=F("total_cents") - _credited() - paid)
        .filter(due__gt=0)
        .values("client__public_id", "client__first_name", "client__last_name")
        .annotate(owing=Sum("due"), invoices=Sum(Value(1)))
        .order_by("-owing", "client__last_name")
    )
    return [
        {
            "client_id": r["client__public_id"],
            "client": f"{r['client__first_name']} {r['client__last_name']}",
            "invoices": r["invoices"],
            "owing": r["owing"],
        }
        for r in rows
    ]
