"""Benchmark the client chart: median server time and query count for 10, 50 and 200 past sessions,
on SQLite and on PostgreSQL, in one run.

Run: .venv/bin/python bench/chart_bench.py
PostgreSQL is reached at BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres); the
benchmark creates and drops its own database there. Target: under 50 ms at 200 sessions, and growth no
worse than linear in the data shown.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = [10, 50, 200]
RUNS = 30
TARGET_MS = 50.0


class QueryCounter:
    """Counts the SQL statements one request sends, through Django's execute wrapper."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure() -> dict:
    """Runs inside a child process whose DATABASE_URL points at an empty database."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bodymap.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client as HttpClient

    from bodymap.accounts.models import Membership, Practice, User
    from bodymap.clients.models import Client
    from bodymap.intake.models import Intake
    from tests.notes.history import build_history

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    practice = Practice.objects.create(name="Bench", slug="bench", timezone="Europe/London")
    owner = User.objects.create_user(email="owner@bench.example.com", full_name="Bench Owner")
    therapist = Membership.objects.create(
        practice=practice, user=owner, role="owner", provides_treatment=True
    )
    contract = {
        "version": 1,
        "session_minutes": 60,
        "pressure": "medium",
        "stress": 6,
        "complaints": [{"region": "low_back", "pain": 7, "symptoms": ["stiffness"]}],
        "screening": {},
        "conditions": [],
        "consent": {"gluteal": "granted"},
        "avoid": [],
    }
    http = HttpClient()
    http.force_login(owner)
    results = {}
    for index, size in enumerate(SIZES):
        client = Client.objects.create(
            practice=practice, first_name="Bench", last_name=f"Client {size}", assigned_therapist=therapist
        )
        Intake.objects.create(
            practice=practice,
            client=client,
            contract=contract,
            signature="Bench",
            submitted_at=django.utils.timezone.now(),
        )
        # Each client's weekly sessions sit two hours apart, so one therapist is never double-booked.
        start = django.utils.timezone.now() - timedelta(days=7 * size + 7, hours=2 * index)
        build_history(practice, client, therapist, size, start=start)
        url = f"/clients/{client.public_id}/chart/"
        assert http.get(url).status_code == 200  # warm caches and templates
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            http.get(url)
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            response = http.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        results[size] = {"median_ms": statistics.median(times), "queries": counter.count}
    return {"vendor": connection.vendor, "results": results}


def run_child(database_url: str) -> dict:
    # Persistent connections, as the README recommends for production (DATABASE_CONN_MAX_AGE).
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BODYMAP_ENV": "development",
        "AXES_ENABLED": "false",
        "DATABASE_CONN_MAX_AGE": "60",
    }
    env.pop("DEBUG", None)
    output = subprocess.run(  # noqa: S603 - this very script, with a fixed argument
        [sys.executable, __file__, "--child"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def postgres_database():
    import psycopg

    base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"bodymap_chart_bench_{os.getpid()}"
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
    print(f"Client chart, median of {RUNS} requests (server time, in process), by number of past sessions")
    print(f"{'database':<12}" + "".join(f"{f'{n} sessions':>22}" for n in SIZES) + "   growth 10→200")
    ok = True
    for run in runs:
        cells = []
        for size in SIZES:
            r = run["results"][str(size)]
            cells.append(f"{r['median_ms']:8.1f} ms {r['queries']:3d} queries")
        small, large = run["results"][str(SIZES[0])], run["results"][str(SIZES[-1])]
        growth = large["median_ms"] / small["median_ms"]
        print(f"{run['vendor']:<12}" + "".join(f"{c:>22}" for c in cells) + f"   ×{growth:.1f} for ×20 data")
        ok &= large["median_ms"] < TARGET_MS and large["queries"] == small["queries"] and growth <= 20
    print(
        f"target: under {TARGET_MS:.0f} ms at 200 sessions, constant queries, growth no worse than linear:",
        "met" if ok else "NOT met",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
