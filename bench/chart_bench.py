"""Benchmark the client chart: median server time and query count for 10, 50 and 200 past sessions,
on SQLite and on PostgreSQL, in one run.

Run: .venv/bin/python bench/chart_bench.py
PostgreSQL is reached at BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres); the
benchmark creates and drops its own database there. Target: under 50 ms at 200 sessions, and growth no
worse than linear in the data shown.
"""

import sys
from datetime import timedelta

from _harness import RUNS, run, timed

SIZES = [10, 50, 200]
TARGET_MS = 50.0


def measure() -> dict:
    """Runs inside a child process, against an empty, migrated database."""
    import django
    from django.conf import settings
    from django.test import Client as HttpClient

    from bodymap.accounts.models import Membership, Practice, User
    from bodymap.clients.models import Client
    from bodymap.intake.models import Intake
    from tests.cast import pass_second_factor
    from tests.notes.history import build_history

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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
    pass_second_factor(http, owner)  # owners sign in with a second step
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

        def get(url=url):
            assert http.get(url).status_code == 200

        results[size] = timed(get)
    return results


def main() -> int:
    runs = run(__file__, measure, "bodymap_chart_bench")
    if runs is None:
        return 0
    print(f"Client chart, median of {RUNS} requests (server time, in process), by number of past sessions")
    print(f"{'database':<12}" + "".join(f"{f'{n} sessions':>22}" for n in SIZES) + "   growth 10→200")
    ok = True
    for figures in runs:
        cells = []
        for size in SIZES:
            r = figures["results"][str(size)]
            cells.append(f"{r['median_ms']:8.1f} ms {r['queries']:3d} queries")
        small, large = figures["results"][str(SIZES[0])], figures["results"][str(SIZES[-1])]
        growth = large["median_ms"] / small["median_ms"]
        print(
            f"{figures['vendor']:<12}" + "".join(f"{c:>22}" for c in cells) + f"   ×{growth:.1f} for ×20 data"
        )
        ok &= large["median_ms"] < TARGET_MS and large["queries"] == small["queries"] and growth <= 20
    print(
        f"target: under {TARGET_MS:.0f} ms at 200 sessions, constant queries, growth no worse than linear:",
        "met" if ok else "NOT met",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
