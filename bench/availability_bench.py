"""A month of availability: Bodymap against django-appointment 3.12.0, in one run.

    .venv/bin/python bench/availability_bench.py

One therapist, Monday to Friday 9:00-17:00, a 60-minute service on a 30-minute step, 30 days, with 0,
50 and 500 existing appointments (15 minutes each, so that 500 fit in a month without overlapping:
Bodymap's database refuses overlaps). Both run on SQLite files with the same Django. Prints, for
both, the median time and the number of queries, and the ratio. The peer runs in its own virtualenv
(var/bench-peer), which this script creates with pip the first time.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import venv
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parents[1]
PEER = ROOT / "bench" / "peer"
PEER_VENV = Path(os.environ.get("BODYMAP_BENCH_PEER_VENV", ROOT / "var" / "bench-peer"))
COUNTS = (0, 50, 500)
DAYS, STEP, SERVICE_MINUTES, REPEAT = 30, 30, 60, 9
TZ = "America/Toronto"


class QueryCounter:
    """Counts the queries a block sends (Django's own query log stops counting past 9,000)."""

    def __init__(self, connection):
        self.connection, self.count = connection, 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = self.connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def scenario():
    """The same appointments for both: 15-minute visits on working days, none overlapping."""
    rng = random.Random(6)
    today = datetime.now(UTC).date()
    first = today + timedelta(days=7 - today.weekday() + 7)  # a Monday at least a week ahead
    quarters = [
        (first + timedelta(days=d), 9 * 60 + 15 * q)
        for d in range(DAYS)
        if (first + timedelta(days=d)).weekday() < 5
        for q in range(32)
    ]
    appointments = {}
    for count in COUNTS:
        chosen = sorted(rng.sample(quarters, count))
        appointments[str(count)] = [(str(day), f"{m // 60:02d}:{m % 60:02d}", 15) for day, m in chosen]
    return {
        "timezone": TZ,
        "first_day": str(first),
        "days": DAYS,
        "open": "09:00",
        "close": "17:00",
        "step_minutes": STEP,
        "service_minutes": SERVICE_MINUTES,
        "repeat": REPEAT,
        "appointments": appointments,
    }


def bodymap(data):
    tmp = Path(tempfile.mkdtemp(prefix="bodymap-bench-"))
    os.environ.update(
        BODYMAP_ENV="development",
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        BODYMAP_VAR_DIR=str(tmp),
        LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bodymap.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from zoneinfo import ZoneInfo

    from django.core.management import call_command
    from django.db import connection

    from bodymap.accounts.models import Membership, Practice, Role, User
    from bodymap.booking.availability import free_slots
    from bodymap.booking.models import Appointment, BookingSettings, Service, TherapistProfile, WorkingHours
    from bodymap.clients.models import Client

    call_command("migrate", verbosity=0)
    tz = ZoneInfo(TZ)
    practice = Practice.objects.create(name="Bench", slug="bench", timezone=TZ)
    BookingSettings.objects.create(
        practice=practice, min_notice_minutes=0, horizon_days=365, slot_step_minutes=STEP
    )
    user = User.objects.create_user(email="t@example.com", full_name="Terry")
    therapist = Membership.objects.create(
        practice=practice, user=user, role=Role.THERAPIST, provides_treatment=True
    )
    TherapistProfile.objects.create(membership=therapist, practice=practice, slug="terry")
    for weekday in range(5):
        WorkingHours.objects.create(
            therapist=therapist,
            weekday=weekday,
            start=time.fromisoformat(data["open"]),
            end=time.fromisoformat(data["close"]),
        )
    service = Service.objects.create(
        practice=practice, name="Massage", slug="massage", minutes=SERVICE_MINUTES
    )
    service.therapists.add(therapist)
    client = Client.objects.create(practice=practice, first_name="C", last_name="C")
    first = date.fromisoformat(data["first_day"])
    last = first + timedelta(days=DAYS - 1)
    results = {}
    for count, appointments in data["appointments"].items():
        Appointment.objects.all().delete()
        rows = []
        for day, start, minutes in appointments:
            begin = datetime.combine(date.fromisoformat(day), time.fromisoformat(start), tzinfo=tz)
            rows.append(
                Appointment(
                    practice=practice,
                    client=client,
                    therapist=therapist,
                    start=begin,
                    end=begin + timedelta(minutes=minutes),
                )
            )
        Appointment.objects.bulk_create(rows)
        free_slots(practice, service, first, last, therapist=therapist)  # warm up
        timings = []
        for _ in range(REPEAT):
            with QueryCounter(connection) as queries:
                began = perf_counter()
                slots = free_slots(practice, service, first, last, therapist=therapist)
                timings.append(perf_counter() - began)
        results[count] = {
            "median_ms": statistics.median(timings) * 1000,
            "queries": queries.count,
            "slots": len(slots),
        }
    return results


def peer_python() -> Path:
    python = PEER_VENV / "bin" / "python"
    requirements = (PEER / "requirements.txt").read_text()
    marker = PEER_VENV / ".requirements"
    if not python.exists() or not marker.exists() or marker.read_text() != requirements:
        print(f"Creating the peer's virtualenv in {PEER_VENV} (once) …", file=sys.stderr)
        venv.create(PEER_VENV, with_pip=True, clear=True)
        subprocess.run(  # noqa: S603 - our own venv's pip with our own pinned file
            [str(python), "-m", "pip", "install", "--quiet", "-r", str(PEER / "requirements.txt")], check=True
        )
        marker.write_text(requirements)
    return python


def peer(data):
    result = subprocess.run(  # noqa: S603 - our own script in our own venv
        [str(peer_python()), str(PEER / "peer_bench.py")],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        cwd=PEER,
    )
    if result.returncode != 0:
        sys.exit(f"The peer's benchmark failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    data = scenario()
    theirs = peer(data)
    ours = bodymap(data)
    print(f"A month of availability ({DAYS} days from {data['first_day']}, one therapist, Mon-Fri 9-17,")
    print(f"{SERVICE_MINUTES}-minute service, {STEP}-minute step); median of {REPEAT} runs, SQLite.\n")
    header = (
        f"{'appointments':>12} | {'Bodymap':>10} | {'queries':>7} | "
        f"{'django-appointment':>18} | {'queries':>7} | ratio"
    )
    print(header)
    print("-" * len(header))
    for count in map(str, COUNTS):
        a, b = ours[count], theirs[count]
        ratio = b["median_ms"] / a["median_ms"]
        print(
            f"{count:>12} | {a['median_ms']:>7.2f} ms | {a['queries']:>7} | {b['median_ms']:>15.1f} ms | "
            f"{b['queries']:>7} | {ratio:>5.0f}x"
        )
        if a["slots"] != b["slots"]:
            print(f"{'':>12}   (free slots found: Bodymap {a['slots']}, django-appointment {b['slots']})")


if __name__ == "__main__":
    main()
