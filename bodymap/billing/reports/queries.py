"""The owner's reports. Each is a fixed number of aggregate queries, whatever the practice's size."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import BigIntegerField, Case, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth

from bodymap.billing.models import CreditNote, Invoice, Payment, PaymentKind, PaymentMethod


def _local_day(practice, day: date):
    tz = ZoneInfo(practice.timezone)
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def daily_close(practice, day: date) -> list[dict]:
    """Money taken and given back on one day in the practice's zone, by payment method."""
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
    labels = dict(PaymentMethod.choices)
    return [
        {
            "method": str(labels.get(r["method"], r["method"])),
            "taken": r["taken"],
            "refunded": r["refunded"],
            "net": r["taken"] - r["refunded"],
        }
        for r in rows
    ]


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


def revenue_by_month(practice, year: int) -> list[dict]:
    """Invoiced revenue (before tax, less credit notes) by month, therapist and service."""
    start = date(year, 1, 1)
    rows = (
        _live_invoices(practice)
        .filter(service_date__gte=start, service_date__lt=date(year + 1, 1, 1))
        .annotate(
            month=TruncMonth("service_date"),
            credited=_credited(),
        )
        .values(
            "month",
            "therapist__user__full_name",
            "therapist__user__email",
            "appointment__service_name",
        )
        .annotate(
            invoices=Sum(Value(1)),
            revenue=Sum(F("subtotal_cents") - F("credited")),
            tax=Sum("tax_cents"),
        )
        .order_by("month", "therapist__user__full_name", "appointment__service_name")
    )
    return [
        {
            "month": r["month"].strftime("%Y-%m"),
            "therapist": r["therapist__user__full_name"] or r["therapist__user__email"],
            "service": r["appointment__service_name"] or "",
            "invoices": r["invoices"],
            "revenue": r["revenue"],
            "tax": r["tax"],
        }
        for r in rows
    ]


def tax_by_month(practice, year: int) -> list[dict]:
    rows = (
        _live_invoices(practice)
        .filter(service_date__gte=date(year, 1, 1), service_date__lt=date(year + 1, 1, 1), tax_cents__gt=0)
        .annotate(month=TruncMonth("service_date"))
        .values("month", "tax_name")
        .annotate(taxable_sales=Sum("subtotal_cents"), tax=Sum("tax_cents"))
        .order_by("month", "tax_name")
    )
    return [
        {
            "month": r["month"].strftime("%Y-%m"),
            "tax_name": r["tax_name"],
            "sales": r["taxable_sales"],
            "tax": r["tax"],
        }
        for r in rows
    ]


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
