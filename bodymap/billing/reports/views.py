"""Owner's reports, on the page and as CSV."""

import csv
from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from bodymap.access import owner_required
from bodymap.audit.log import record_read
from bodymap.audit.models import AuditAction
from bodymap.billing.money import fmt
from bodymap.billing.reports import queries


def _params(request):
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = day.year
    if not 2000 <= year <= 2100:
        year = day.year
    return day, year


@owner_required
def reports(request):
    practice = request.membership.practice
    day, year = _params(request)
    close = queries.daily_close(practice, day)
    return render(
        request,
        "billing/reports/reports.html",
        {
            "day": day,
            "year": year,
            "close": close,
            "close_total": sum(r["net"] for r in close),
            "revenue": queries.revenue_by_month(practice, year),
            "tax": queries.tax_by_month(practice, year),
            "outstanding": queries.outstanding(practice),
            "gift_cards": queries.gift_card_liability(practice),
            "packages": queries.package_liability(practice, timezone.localdate()),
        },
    )


def _money(cents):
    return fmt(cents).replace("$", "").replace(",", "")


REPORTS = {
    "daily-close": (
        ["method", "taken", "refunded", "net"],
        lambda p, day, year: queries.daily_close(p, day),
    ),
    "revenue": (
        ["month", "therapist", "service", "invoices", "revenue", "tax"],
        lambda p, day, year: queries.revenue_by_month(p, year),
    ),
    "tax": (["month", "tax_name", "sales", "tax"], lambda p, day, year: queries.tax_by_month(p, year)),
    "outstanding": (["client", "invoices", "owing"], lambda p, day, year: queries.outstanding(p)),
    "gift-cards": (["sold", "owed"], lambda p, day, year: [queries.gift_card_liability(p)]),
    "packages": (
        ["sold", "sessions", "owed"],
        lambda p, day, year: [queries.package_liability(p, timezone.localdate())],
    ),
}
MONEY_COLUMNS = {"taken", "refunded", "net", "revenue", "tax", "sales", "owing", "sold", "owed"}


@owner_required
def report_csv(request, report):
    if report not in REPORTS:
        raise Http404
    practice = request.membership.practice
    day, year = _params(request)
    columns, build = REPORTS[report]
    rows = build(practice, day, year)
    record_read(
        request, practice=practice, subject_type="billing_report", action=AuditAction.EXPORT, report=report
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{report}-{day if report == "daily-close" else year}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_money(row[c]) if c in MONEY_COLUMNS else _safe(row[c]) for c in columns])
    return response


def _safe(value):
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
