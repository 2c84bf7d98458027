"""The owner's reports. Each is a fixed number of aggregate queries, whatever the practice's size."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from bodymap.accounts.models import Membership
from bodymap.billing.models import (
    CreditNote,
    GiftCardEntry,
    Invoice,
    PackageEntry,
    PackageEntryKind,
    Payment,
    PaymentKind,
    PaymentMethod,
)


def _local_day(practice, day: date):
    tz = ZoneInfo(practice.timezone)
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def daily_close(practice, day: date) -> list[dict]:
    """Money taken and given back on one day in the practice's zone, by payment method: payments on
    invoices, gift cards and packages sold. Spending a gift card or a package session shows as its own
    method, not as money taken."""
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
    packages = (
        PackageEntry.objects.filter(
            package__practice=practice, kind=PackageEntryKind.SOLD, created_at__gte=start, created_at__lt=end
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
    close += [
        {
            "method": str(_("Packages sold, %(method)s") % {"method": labels.get(r["method"], r["method"])}),
            "taken": r["total"],
            "refunded": 0,
            "net": r["total"],
        }
        for r in packages
    ]
    return close


def gift_card_liability(practice) -> dict:
    """What the practice still owes in treatments on gift cards it sold."""
    totals = GiftCardEntry.objects.filter(gift_card__practice=practice).aggregate(
        owed=Sum("amount_cents"), sold=Sum("amount_cents", filter=Q(amount_cents__gt=0))
    )
    return {"owed": totals["owed"] or 0, "sold": totals["sold"] or 0}


def package_liability(practice, today: date) -> dict:
    """What the practice still owes in treatments on packages in date: the sessions left and the
    share of the price they carry. Packages past their expiry owe nothing, written off or not."""
    totals = PackageEntry.objects.filter(
        package__practice=practice, package__expires_on__gte=today
    ).aggregate(
        sessions=Sum("sessions"),
        owed=Sum("amount_cents"),
        sold=Sum("amount_cents", filter=Q(kind=PackageEntryKind.SOLD)),
    )
    return {"sold": totals["sold"] or 0, "sessions": totals["sessions"] or 0, "owed": totals["owed"] or 0}


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


def _month_of_service(year: int):
    """The month of `service_date` as 1..12, in plain SQL: a CASE over the year's month boundaries.
    Django's date truncation would run a Python function per row on SQLite."""
    return Case(
        *(When(service_date__lt=date(year, m + 1, 1), then=Value(m)) for m in range(1, 12)),
        default=Value(12),
        output_field=IntegerField(),
    )


def revenue_by_month(practice, year: int) -> list[dict]:
    """Invoiced revenue (before tax, less credit notes) by month, therapist and service: one grouped
    query over the year's invoices, whose credit notes are summed per invoice in a subquery."""
    rows = (
        _live_invoices(practice)
        .filter(**_year(year))
        .annotate(month=_month_of_service(year), service=F("appointment__service_name"))
        .values("month", "therapist_id", "service")
        .annotate(
            invoices=Count("id"),
            revenue=Sum(F("subtotal_cents") - _credited(), output_field=BigIntegerField()),
            tax=Sum("tax_cents"),
        )
        .order_by()
    )
    names = {
        m.pk: m.user.full_name or m.user.email
        for m in Membership.objects.filter(practice=practice).select_related("user")
    }
    report = [
        {
            "month": f"{year}-{row['month']:02d}",
            "therapist": names.get(row["therapist_id"], ""),
            "service": row["service"] or "",
            "invoices": row["invoices"],
            "revenue": row["revenue"],
            "tax": row["tax"],
        }
        for row in rows
    ]
    return sorted(report, key=lambda r: (r["month"], r["therapist"], r["service"]))


def tax_by_month(practice, year: int) -> list[dict]:
    rows = (
        _live_invoices(practice)
        .filter(tax_cents__gt=0, **_year(year))
        .annotate(month=_month_of_service(year))
        .values("month", "tax_name")
        .annotate(sales=Sum("subtotal_cents"), tax=Sum("tax_cents"))
        .order_by("month", "tax_name")
    )
    return [
        {"month": f"{year}-{r['month']:02d}", "tax_name": r["tax_name"], "sales": r["sales"], "tax": r["tax"]}
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
