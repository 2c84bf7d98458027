"""Benchmark the practice export: a 3-therapist practice after three years (2,000 clients, 18,000
appointments, a signed note with pain and function ratings for every visit that took place, consent
for the four sensitive regions and a signed intake per client), exported to a zip with its FHIR Bundle.

Run: nice -n 10 .venv/bin/python bench/export_bench.py     (SQLite, in a temporary file)
     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_export .venv/bin/python bench/export_bench.py
(the PostgreSQL database must exist and be empty; the benchmark migrates it.)
Target: the export, CSV and FHIR, under 60 s. Note PDFs are drawn one by one with ReportLab; their cost
per note is measured on a sample and printed beside the total.
"""

import io
import json
import os
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
CLIENTS, APPOINTMENTS, THERAPISTS = 2_000, 18_000, 3
TARGET_S = 60.0


def setup():
    sys.path.insert(0, str(ROOT))
    tmp = tempfile.mkdtemp(prefix="export-bench-")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("BODYMAP_ENV", "development")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bodymap.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build():
    import random

    from bodymap.accounts.models import Membership, Practice, User
    from bodymap.booking.models import Appointment
    from bodymap.clients.models import Client
    from bodymap.consent.models import ConsentRecord
    from bodymap.intake.models import Intake
    from bodymap.notes.models import FunctionalRating, PainRating, SessionNote

    rng = random.Random(2026)  # noqa: S311 - reproducible fiction
    tz = ZoneInfo("America/Toronto")
    practice = Practice.objects.create(name="Bench Massage", slug="bench", timezone="America/Toronto")
    members = [
        Membership.objects.create(
            practice=practice,
            user=User.objects.create_user(email=f"t{i}@bench.example.com", full_name=f"Therapist {i}"),
            role="owner" if i == 0 else "therapist",
            provides_treatment=True,
        )
        for i in range(THERAPISTS)
    ]
    clients = Client.objects.bulk_create(
        Client(
            practice=practice,
            first_name=f"First{i}",
            last_name=f"Last{i}",
            email=f"c{i}@example.com",
            phone="416-555-0199",
            date_of_birth=date(1950 + i % 50, 1 + i % 12, 1 + i % 28),
            assigned_therapist=members[i % THERAPISTS],
        )
        for i in range(CLIENTS)
    )
    contract = json.loads((ROOT / "docs/examples/founding-clinic-intake-v2.json").read_text())
    start_day = datetime(2023, 1, 2, 9, tzinfo=tz)
    visits = []
    per_therapist = APPOINTMENTS // THERAPISTS
    for t, member in enumerate(members):
        for n in range(per_therapist):
            day, slot = divmod(n, 8)
            start = start_day + timedelta(days=day * 7 // 5, hours=slot)
            status = "completed" if n % 10 else rng.choice(["cancelled", "no_show"])
            visits.append(
                Appointment(
                    practice=practice,
                    client=clients[(n * THERAPISTS + t) % CLIENTS],
                    therapist=member,
                    start=start,
                    end=start + timedelta(minutes=60),
                    status=status,
                    service_name="Massage therapy, 60 minutes",
                )
            )
    visits = Appointment.objects.bulk_create(visits, batch_size=2000)
    Intake.objects.bulk_create(
        Intake(practice=practice, client=c, contract=contract, submitted_at=start_day, signature=c.full_name)
        for c in clients
    )
    ConsentRecord.objects.bulk_create(
        (
            ConsentRecord(
                practice=practice,
                client=c,
                region=region,
                decision=rng.choice(["granted", "declined"]),
                method="link",
                given_at=start_day,
                explanation="The text shown to the client.",
                signature=c.full_name,
            )
            for c in clients
            for region in ("gluteal", "abdomen", "chest", "inner_thigh")
        ),
        batch_size=2000,
    )
    done = [v for v in visits if v.status == "completed"]
    notes = SessionNote.objects.bulk_create(
        (
            SessionNote(
                practice=practice,
                client=v.client,
                appointment=v,
                therapist=v.therapist,
                subjective="Low back pain, worse sitting.",
                objective="Tender QL.",
                assessment="Improving.",
                plan="Same next week.",
                signed_at=v.end,
                signed_by=v.therapist.user,
                signature="RMT",
            )
            for v in done
        ),
        batch_size=2000,
    )
    PainRating.objects.bulk_create(
        (
            PainRating(
                client=n.client, note=n, region="low_back", rating=rng.randint(2, 8), recorded_at=n.signed_at
            )
            for n in notes
        ),
        batch_size=2000,
    )
    FunctionalRating.objects.bulk_create(
        (
            FunctionalRating(
                client=n.client,
                note=n,
                activity="Sitting at work",
                score=rng.randint(3, 9),
                recorded_at=n.signed_at,
            )
            for n in notes
        ),
        batch_size=2000,
    )
    return practice, members[0], len(notes)


def main():
    setup()
    from bodymap.exchange.exporting import export_practice
    from bodymap.notes.documents import note_pdf
    from bodymap.notes.models import SessionNote

    started = time.perf_counter()
    practice, owner, note_count = build()
    print(
        f"built {CLIENTS} clients, {APPOINTMENTS} appointments, {note_count} signed notes "
        f"in {time.perf_counter() - started:.1f} s"
    )
    out = io.BytesIO()
    started = time.perf_counter()
    counts = export_practice(practice, out, actor=owner.user, with_pdfs=False)
    elapsed = time.perf_counter() - started
    verdict = "PASS" if elapsed < TARGET_S else "FAIL"
    print(
        f"export (CSV + validated FHIR Bundle, notes as text): {elapsed:.1f} s, "
        f"{len(out.getvalue()) / 1e6:.1f} MB, "
        f"{counts['fhir_resources']} FHIR resources  [{verdict}: target {TARGET_S:.0f} s]"
    )
    sample = list(
        SessionNote.objects.select_related("client__practice", "appointment", "therapist__user")[:100]
    )
    started = time.perf_counter()
    for note in sample:
        note_pdf(note, [])
    per_pdf = (time.perf_counter() - started) / len(sample)
    print(f"note PDFs: {per_pdf * 1000:.0f} ms each; all {note_count} would add {per_pdf * note_count:.0f} s")


if __name__ == "__main__":
    main()
