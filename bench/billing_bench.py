"""Benchmark the owner's money reports over three years of a three-therapist practice (about 18,000
invoices with their payments): the daily close and the year's revenue by month, therapist and
service, on SQLite and on PostgreSQL, in one run.

Run: .venv/bin/python bench/billing_bench.py
PostgreSQL is reached at BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres); the
benchmark creates and drops its own database there. Target: under 100 ms each, and the same number
of queries for a small practice as for this one.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
RUNS = 30
TARGET_MS = 100.0
YEARS = 3
SLOTS = [clock(9), clock(10, 30), clock(12), clock(14), clock(15, 30), clock(17)]
TZ = "America/Toronto"


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _timed(fn):
    from django.db import connection

    fn()  # warm
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        fn()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(times), "queries": counter.count}


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
    """Runs inside a child process whose DATABASE_URL points at an empty database."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bodymap.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bodymap.accounts.models import Membership, Practice, User
    from bodymap.billing.reports import queries
    from bodymap.clients.models import Client

    call_command("migrate", verbosity=0)
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
            "daily_close": _timed(lambda p=practice: queries.daily_close(p, last)),
            "revenue": _timed(lambda p=practice: queries.revenue_by_month(p, last.year)),
        }
    return {"vendor": connection.vendor, "results": results}


def run_child(database_url: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BODYMAP_ENV": "development",
        "DATABASE_CONN_MAX_AGE": "60",
    }
    env.pop("DEBUG", None)
    output = subprocess.run(  # noqa: S603 - this very script, with a fixed argument
        [sys.executable, __file__, "--child"], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def postgres_database():
    import psycopg

    base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"bodymap_billing_bench_{os.getpid()}"
    try:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        print(f"PostgreSQL not reachable at {base}: {exc}; measuring SQLite only.")
        return None, None
    url = base.rsplit("/", 1)[0] + f"/{name}"

    def drop():
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return url, drop


def main() -> int:
    if "--child" in sys.argv:
        print(json.dumps(measure()))
        return 0
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        runs.append(run_child(f"sqlite:///{folder}/bench.sqlite3"))
    url, drop = postgres_database()
    if url:
        try:
            runs.append(run_child(url))
        finally:
            drop()
    print(f"Owner's reports, median of {RUNS} runs (in process)")
    ok = True
    for run in runs:
        small, large = run["results"]["one week"], run["results"]["three years"]
        for report in ("daily_close", "revenue"):
            s, big = small[report], large[report]
            print(
                f"{run['vendor']:<11} {report:<12} {large['invoices']:>6} invoices: "
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
