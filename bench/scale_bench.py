"""A clinic of thirty therapists with three years of history: each busy page's server time and queries,
on SQLite and on PostgreSQL, in one run.

    nice -n 10 .venv/bin/python bench/scale_bench.py          # builds both databases, measures, drops them
    nice -n 10 .venv/bin/python bench/scale_bench.py --keep   # keeps var/scale-bench.sqlite3 and the
                                                              # bodymap_scale_bench database for next time
    nice -n 10 .venv/bin/python bench/scale_bench.py --sqlite # or --postgres: one database only

The practice: 30 therapists working Monday to Saturday 08:00-17:00, 15,000 clients, eleven 45-minute
appointments a therapist a working day for three years (about 309,000, a few cancelled or missed),
the coming six weeks half booked. Pages are fetched with Django's test client in the same process, on
a persistent connection (DATABASE_CONN_MAX_AGE=60, as in production); each figure is the median of
RUNS requests after one warm-up, with the queries of one request. PostgreSQL is reached at
BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).

Pages about "today" (the dashboard, the calendar's day) are measured on a working day: the clock of the
measuring process is set to 10:00 on the coming Tuesday in the practice's zone (BENCH_DAY=YYYY-MM-DD
picks another), never whatever moment the run starts — on a Sunday nobody works and those pages are empty.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
RUNS = 15
THERAPISTS, CLIENTS, YEARS_PAST, WEEKS_AHEAD = 30, 15_000, 3, 6
PER_DAY, MINUTES, FIRST_HOUR = 11, 45, 8
TZ = "America/Toronto"
PG_NAME = "bodymap_scale_bench"
# Page → target in milliseconds (None: measured, no target of its own).
TARGETS = {
    "dashboard, whole practice (front desk)": 150,
    "dashboard, owner widened to everyone": 150,
    "calendar, whole practice (grid's default: the day)": 150,
    "calendar week, whole practice (grid)": None,
    "calendar week, one therapist (grid)": 150,
    "availability, anyone (public booking page)": 50,
    "baseline: a page without queries (what to expect)": None,
    "client search (front desk)": 20,
    "client search (therapist)": 20,
    "desk booking client picker (front desk)": 20,
    "therapist: dashboard": None,
    "therapist: client list": None,
    "therapist: client record": None,
    "chart page (therapist)": 50,
    "outcome chart image (therapist)": 50,
}

FIRST = "Ava Ben Chloe Daniel Elena Farah George Hana Ivan Julia Kofi Lena Marcus Nadia Omar Priya Quinn Rosa Sam Tariq Uma Victor Wen Yara Zoe".split()  # noqa: E501
# Surnames made of three syllables: about 8,000 of them, so a few typed letters find a few people,
# as at a real desk (a list of thirty surnames would match a thirtieth of the practice).
SYLLABLES = "ko wal ber ga mo ri ta sen lin dor ve ha nu pel ark so mi zan te bro".split()


def surname(rng) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


class QueryCounter:
    """Counts the SQL statements one request sends, through Django's execute wrapper."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def build(log):
    """The practice, built with bulk inserts. Appointments go in newest first: SQLite's overlap
    trigger then finds no earlier row of the therapist to compare with, and stays fast."""
    from django.utils import timezone

    from bodymap.accounts.models import Membership, Practice, Role, User
    from bodymap.booking.models import Appointment, BookingSettings, Service, TherapistProfile, WorkingHours
    from bodymap.clients.models import Client

    rng = random.Random(14)
    tz = ZoneInfo(TZ)
    practice = Practice.objects.create(name="Scale Clinic", slug="scale", timezone=TZ, phone="416-555-0100")
    BookingSettings.objects.create(practice=practice, min_notice_minutes=0, horizon_days=60)
    users = User.objects.bulk_create(
        User(email=f"staff{i}@scale.example.com", full_name=f"Therapist {i:02d}") for i in range(THERAPISTS)
    )
    desk_user = User.objects.create_user(email="desk@scale.example.com", full_name="Front Desk")
    Membership.objects.bulk_create(
        Membership(
            practice=practice,
            user=u,
            role=Role.OWNER if i == 0 else Role.THERAPIST,
            provides_treatment=True,
            created_at=timezone.now() + timedelta(microseconds=i),
        )
        for i, u in enumerate(users)
    )
    Membership.objects.create(practice=practice, user=desk_user, role=Role.FRONT_DESK)
    therapists = list(Membership.objects.filter(practice=practice, provides_treatment=True).order_by("id"))
    TherapistProfile.objects.bulk_create(
        TherapistProfile(membership=t, practice=practice, slug=f"therapist-{i:02d}")
        for i, t in enumerate(therapists)
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(therapist=t, weekday=d, start="08:00", end="17:00") for t in therapists for d in range(6)
    )
    service = Service.objects.create(
        practice=practice, name="Massage therapy, 45 minutes", slug="massage-45", minutes=MINUTES
    )
    service.therapists.set(therapists)
    Client.objects.bulk_create(
        (
            Client(
                practice=practice,
                first_name=rng.choice(FIRST),
                last_name=surname(rng),
                email=f"client{i}@example.com",
                phone=f"416-555-{i % 10000:04d}",
                assigned_therapist=therapists[i % THERAPISTS],
            )
            for i in range(CLIENTS)
        ),
        batch_size=2000,
    )
    client_ids = list(Client.objects.filter(practice=practice).order_by("id").values_list("id", flat=True))
    own = {t.pk: client_ids[i::THERAPISTS] for i, t in enumerate(therapists)}
    today = timezone.localdate(timezone=tz)
    first_day = today - timedelta(days=365 * YEARS_PAST)
    last_day = today + timedelta(weeks=WEEKS_AHEAD)
    now = timezone.now()
    batch, made = [], 0
    day = last_day
    while day >= first_day:
        if day.weekday() < 6:
            for t in therapists:
                for slot in reversed(range(PER_DAY)):
                    start = datetime(day.year, day.month, day.day, FIRST_HOUR, tzinfo=tz) + timedelta(
                        minutes=MINUTES * slot
                    )
                    if start > now and rng.random() < 0.5:
                        continue  # the coming weeks are half booked
                    roll = rng.random()
                    client = rng.choice(own[t.pk]) if roll < 0.9 else rng.choice(client_ids)
                    status = "booked"
                    cancelled_at = None
                    if start < now:
                        status = "completed" if roll < 0.9 else ("cancelled" if roll < 0.96 else "no_show")
                        if status == "cancelled":
                            cancelled_at = start - timedelta(days=1)
                    batch.append(
                        Appointment(
                            practice=practice,
                            client_id=client,
                            therapist=t,
                            service=service,
                            service_name=service.name,
                            start=start,
                            end=start + timedelta(minutes=MINUTES),
                            status=status,
                            cancelled_at=cancelled_at,
                        )
                    )
            if len(batch) >= 5000:
                Appointment.objects.bulk_create(batch)
                made += len(batch)
                batch = []
                if made % 50_000 < 5000:
                    log(f"  {made:,} appointments")
        day -= timedelta(days=1)
    Appointment.objects.bulk_create(batch)
    return practice


def chart_client(practice, therapist):
    """A client with a year of weekly sessions on Sundays, when nobody else is booked."""
    from django.utils import timezone

    from bodymap.clients.models import Client
    from bodymap.intake.models import Intake
    from tests.notes.history import build_history

    client = Client.objects.create(
        practice=practice, first_name="Charted", last_name="Client", assigned_therapist=therapist
    )
    Intake.objects.create(
        practice=practice,
        client=client,
        contract={
            "version": 1,
            "session_minutes": 60,
            "pressure": "medium",
            "stress": 6,
            "complaints": [{"region": "low_back", "pain": 7, "symptoms": ["stiffness"]}],
            "screening": {},
            "conditions": [],
            "consent": {"gluteal": "granted"},
            "avoid": [],
        },
        signature="Charted Client",
        submitted_at=timezone.now(),
    )
    tz = ZoneInfo(TZ)
    today = timezone.localdate(timezone=tz)
    sunday = today - timedelta(days=today.weekday() + 1)
    start = datetime(sunday.year, sunday.month, sunday.day, 10, tzinfo=tz) - timedelta(weeks=52)
    build_history(practice, client, therapist, 50, start=start)
    return client


def measure() -> dict:
    """Runs inside a child process whose DATABASE_URL points at the bench database."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bodymap.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client as HttpClient

    from bodymap.accounts.models import Membership, Practice
    from bodymap.booking.models import Appointment
    from bodymap.clients.models import Client
    from bodymap.notes.models import PainRating
    from tests.cast import pass_second_factor

    def log(text):
        print(text, file=sys.stderr, flush=True)

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    practice = Practice.objects.filter(slug="scale").first()
    started = time.perf_counter()
    if practice is None:
        log(f"{connection.vendor}: building the practice")
        practice = build(log)
        therapist = Membership.objects.get(practice=practice, user__email="staff1@scale.example.com")
        chart_client(practice, therapist)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    build_seconds = time.perf_counter() - started
    members = {
        m.user.email.split("@")[0]: m
        for m in Membership.objects.filter(practice=practice).select_related("user").order_by("id")
    }
    owner, therapist, desk = members["staff0"], members["staff1"], members["desk"]
    charted = Client.objects.get(practice=practice, first_name="Charted")
    some_client = Client.objects.filter(practice=practice, assigned_therapist=therapist).order_by("id")[7]
    # The desk types the first five letters of a caller's surname.
    typed = Client.objects.filter(practice=practice).order_by("id")[4321].last_name[:5].lower()
    chart_key = PainRating.objects.filter(client=charted).values_list("region", "side").first()

    def signed_in(member):
        http = HttpClient()
        http.force_login(member.user)
        pass_second_factor(http, member.user)
        return http

    as_owner, as_therapist, as_desk, public = (
        signed_in(owner),
        signed_in(therapist),
        signed_in(desk),
        HttpClient(),
    )
    pages = {
        "dashboard, whole practice (front desk)": (as_desk, "/dashboard/"),
        "dashboard, owner widened to everyone": (as_owner, "/dashboard/?who=all"),
        # The time grid opens on the day view when more than six therapists are shown.
        "calendar, whole practice (grid's default: the day)": (as_desk, "/calendar/"),
        "calendar week, whole practice (grid)": (as_desk, "/calendar/?view=week"),
        "calendar week, one therapist (grid)": (as_desk, f"/calendar/?view=week&who={therapist.public_id}"),
        "availability, anyone (public booking page)": (public, "/book/scale/massage-45/any/"),
        "baseline: a page without queries (what to expect)": (public, "/what-to-expect/"),
        "client search (front desk)": (as_desk, f"/clients/?q={typed}"),
        "client search (therapist)": (as_therapist, f"/clients/?q={typed}"),
        "desk booking client picker (front desk)": (as_desk, f"/calendar/new/clients/?q={typed}"),
        "therapist: dashboard": (as_therapist, "/dashboard/"),
        "therapist: client list": (as_therapist, "/clients/"),
        "therapist: client record": (as_therapist, f"/clients/{some_client.public_id}/"),
        "chart page (therapist)": (as_therapist, f"/clients/{charted.public_id}/chart/"),
        "outcome chart image (therapist)": (
            as_therapist,
            f"/clients/{charted.public_id}/outcomes/pain/{chart_key[0]}__{chart_key[1]}.png",
        ),
    }
    results = {}
    for name, (http, url) in pages.items():
        first = http.get(url)
        assert first.status_code == 200, (name, url, first.status_code)
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            http.get(url)
        times = []
        for _ in range(RUNS):
            began = time.perf_counter()
            response = http.get(url)
            times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (name, url)
        results[name] = {"median_ms": statistics.median(times), "queries": counter.count}
    return {
        "vendor": connection.vendor,
        "appointments": Appointment.objects.filter(practice=practice).count(),
        "clients": Client.objects.filter(practice=practice).count(),
        "build_seconds": build_seconds,
        "results": results,
    }


def working_day() -> str:
    """The coming Tuesday (a full working day of the bench practice), unless BENCH_DAY names one."""
    if os.environ.get("BENCH_DAY"):
        return os.environ["BENCH_DAY"]
    today = datetime.now(ZoneInfo(TZ)).date()
    return str(today + timedelta(days=(1 - today.weekday()) % 7 or 7))


def run_child(database_url: str, day: str) -> dict:
    env = {
        **os.environ,
        "BENCH_DAY": day,
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
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def postgres_database(keep: bool):
    import psycopg

    base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = PG_NAME if keep else f"{PG_NAME}_{os.getpid()}"
    try:
        with psycopg.connect(base, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        print(f"PostgreSQL not reachable at {base}: {exc}; measuring SQLite only.")
        return None, None
    url = base.rsplit("/", 1)[0] + f"/{name}"

    def drop():
        if keep:
            return
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return url, drop


def main() -> int:
    if "--child" in sys.argv:
        import time_machine

        moment = datetime.combine(
            datetime.fromisoformat(os.environ["BENCH_DAY"]).date(),
            datetime.min.time(),
            tzinfo=ZoneInfo(TZ),
        ).replace(hour=10)
        with time_machine.travel(moment, tick=True):
            print(json.dumps(measure()))
        return 0
    keep = "--keep" in sys.argv
    day = working_day()
    runs = []
    if "--postgres" not in sys.argv:
        if keep:
            (ROOT / "var").mkdir(exist_ok=True)
            runs.append(run_child(f"sqlite:///{ROOT / 'var' / 'scale-bench.sqlite3'}", day))
        else:
            with tempfile.TemporaryDirectory() as folder:
                runs.append(run_child(f"sqlite:///{folder}/bench.sqlite3", day))
    if "--sqlite" not in sys.argv:
        url, drop = postgres_database(keep)
        if url:
            try:
                runs.append(run_child(url, day))
            finally:
                drop()
    print(f"Median server time of {RUNS} requests and queries per request, by page, on {day} at 10:00")
    for run in runs:
        print(
            f"\n{run['vendor']}: {run['appointments']:,} appointments, {run['clients']:,} clients"
            f" (built in {run['build_seconds']:.0f} s)"
        )
    header = f"{'page':<46}" + "".join(f"{run['vendor']:>22}" for run in runs) + f"{'target':>10}"
    print("\n" + header)
    ok = True
    for name, target in TARGETS.items():
        cells = []
        for run in runs:
            r = run["results"][name]
            cells.append(f"{r['median_ms']:8.1f} ms {r['queries']:3d} q")
            ok &= target is None or r["median_ms"] < target
        goal = f"< {target} ms" if target else "—"
        print(f"{name:<46}" + "".join(f"{c:>22}" for c in cells) + f"{goal:>10}")
    print("\nevery target met" if ok else "\nsome targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
