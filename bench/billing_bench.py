"""Benchmark the owner's money reports over three years of a three-therapist practice (about 18,000
invoices with their payments): the daily close and the year's revenue by month, therapist and
service, on SQLite and on PostgreSQL, in one run.

Run: .venv/bin/python bench/billing_bench.py
PostgreSQL is reached at BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres); the
benchmark creates and drops its own database there. Target: under 100 ms each, and the same number
of queries for a small practice as for this one.
"""

import sys
from datetime import date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from _harness import RUNS, run, timed

TARGET_MS = 100.0
YEARS = 3
SLOTS = [clock(9), clock(10, 30), clock(12), clock(14), clock(15, 30), clock(17)]
TZ = "America/Toronto"


def _build(practice, therapists, client, user, first_day, days):
    """Invoices for `days` days from `first_day`, six slots a day per therapist, each paid."""
    import random

    from bodymap.billing.models import Invoice, InvoiceLine, Payment
    from bodymap.booking.models import Appointment

    rng = random.Random(12)  # noqa: S311 - reproducible data, not security
    tz = ZoneInfo(TZ)
    services = [
        ("Massage therapy, 60 minutes", 11000),
        ("Massage therapy, 90 minutes", 15500),
        ("Massage therapy, 30 minutes", 6500),
    ]
    methods = ["cash", "card_terminal", "card_terminal", "e_transfer"]
    appointments, rows = [], []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        if day.weekday() == 6:
            continue
        for therapist in therapists:
            for slot in SLOTS:
                name, fee = rng.choice(services)
                start = datetime.combine(day, slot, tzinfo=tz)
                appointments.append(
                    Appointment(
                        practice=practice,
                        client=client,
                        therapist=therapist,
                        service_name=name,
                        start=start,
                        end=start + timedelta(minutes=60),
                        status="completed",
                    )
                )
                rows.append((therapist, day, name, fee, start))
    appointments = Appointment.objects.bulk_create(appointments, batch_size=2000)
    invoices = []
    for number, ((therapist, day, _name, fee, _start), appointment) in enumerate(
        zip(rows, appointments, strict=True)
    ):
        tax = fee * 13 // 100
        invoices.append(
            Invoice(
                practice=practice,
                number=f"INV-{number:06d}",
                client=client,
                appointment=appointment,
                therapist=therapist,
                service_date=day,
                currency="CAD",
                tax_name="HST",
                tax_number="1",
                tax_rate_bp=1300,
                subtotal_cents=fee,
                tax_cents=tax,
                total_cents=fee + tax,
                issued_by=user,
            )
        )
    invoices = Invoice.objects.bulk_create(invoices, batch_size=2000)
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                invoice=i,
                kind="service",
                description="Massage",
                unit_cents=i.subtotal_cents,
                amount_cents=i.subtotal_cents,
                taxable=True,
                posted_cents=i.subtotal_cents,
            )
            for i in invoices
        ],
        batch_size=2000,
    )
    Payment.objects.bulk_create(
        [
            Payment(
                practice=practice,
                invoice=i,
                method=rng.choice(methods),
                amount_cents=i.total_cents,
                received_at=row[4] + timedelta(minutes=65),
                recorded_by=user,
            )
            for i, row in zip(invoices, rows, strict=True)
            if rng.random() > 0.03
        ],
        batch_size=2000,
    )
    return len(invoices)


def measure() -> dict:
    """Runs inside a child process, against an empty, migrated database."""
    from bodymap.accounts.models import Membership, Practice, User
    from bodymap.billing.reports import queries
    from bodymap.clients.models import Client

    results = {}
    last = date(2026, 10, 30)
    for label, days in (("one week", 7), ("three years", 365 * YEARS)):
        practice = Practice.objects.create(name=f"Bench {label}", slug=f"bench-{days}", timezone=TZ)
        user = User.objects.create_user(email=f"owner{days}@bench.example.com", full_name="Bench Owner")
        therapists = [
            Membership.objects.create(practice=practice, user=user, role="owner", provides_treatment=True)
        ]
        for n in range(2):
            colleague = User.objects.create_user(
                email=f"t{n}-{days}@bench.example.com", full_name=f"Therapist {n}"
            )
            therapists.append(
                Membership.objects.create(
                    practice=practice, user=colleague, role="therapist", provides_treatment=True
                )
            )
        client = Client.objects.create(practice=practice, first_name="Bench", last_name="Client")
        count = _build(practice, therapists, client, user, last - timedelta(days=days - 1), days)
        results[label] = {
            "invoices": count,
            "daily_close": timed(lambda p=practice: queries.daily_close(p, last)),
            "revenue": timed(lambda p=practice: queries.revenue_by_month(p, last.year)),
        }
    return results


def main() -> int:
    runs = run(__file__, measure, "bodymap_billing_bench")
    if runs is None:
        return 0
    print(f"Owner's reports, median of {RUNS} runs (in process)")
    ok = True
    for figures in runs:
        small, large = figures["results"]["one week"], figures["results"]["three years"]
        for report in ("daily_close", "revenue"):
            s, big = small[report], large[report]
            print(
                f"{figures['vendor']:<11} {report:<12} {large['invoices']:>6} invoices: "
                f"{big['median_ms']:6.1f} ms, {big['queries']} queries "
                f"({small['invoices']} invoices: {s['median_ms']:.1f} ms, {s['queries']} queries)"
            )
            ok &= big["median_ms"] < TARGET_MS and big["queries"] == s["queries"]
    print(
        f"target: under {TARGET_MS:.0f} ms each with a constant number of queries:",
        "met" if ok else "NOT met",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
