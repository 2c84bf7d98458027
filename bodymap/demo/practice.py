"""The demo practice, "Breathe Deeply Massage": fictional people, realistic shape.

Names are invented; emails use example.com and phone numbers the 555-01xx range reserved for
fiction, so nothing here can reach a real person.
"""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from bodymap.accounts.models import Membership, Practice, Role, User
from bodymap.booking.models import Appointment, AppointmentStatus
from bodymap.clients.models import Client
from bodymap.demo import billing_demo, booking_demo, intake_demo, notes_demo, safety_demo

SLUG = "breathe-deeply"
PASSWORD = "breathe-demo-2026"  # noqa: S105 - demo only; the loader refuses to run in production
TZ = "America/Toronto"

STAFF = [
    ("maya@breathe.example.com", "Maya Brooks", Role.OWNER, True),
    ("daniel@breathe.example.com", "Daniel Okafor", Role.THERAPIST, True),
    ("priya@breathe.example.com", "Priya Shah", Role.FRONT_DESK, False),
]

CLIENTS = [
    ("Sam", "Rivera", "they/them", "1978-04-12", "Low back pain after long drives"),
    ("Elena", "Kowalski", "she/her", "1985-09-03", ""),
    ("Marcus", "Bell", "he/him", "1969-01-22", ""),
    ("Aisha", "Rahman", "she/her", "1992-06-30", ""),
    ("Tom", "Lindqvist", "he/him", "1974-11-08", ""),
    ("Grace", "Nakamura", "she/her", "1988-03-17", ""),
    ("Owen", "Fitzgerald", "he/him", "1959-07-25", ""),
    ("Lucia", "Moreno", "she/her", "1996-12-02", ""),
    ("Kwame", "Mensah", "he/him", "1981-05-14", ""),
    ("Hannah", "Schultz", "she/her", "1990-08-21", ""),
    ("Ravi", "Patel", "he/him", "1972-02-09", ""),
    ("Chloe", "Dubois", "she/her", "1999-10-11", ""),
    ("Ben", "Whitaker", "he/him", "1965-04-28", ""),
    ("Mei", "Chen", "she/her", "1983-07-07", ""),
    ("Jonah", "Abrams", "he/him", "1977-09-19", ""),
    ("Fatima", "Haddad", "she/her", "1987-01-05", ""),
    ("Liam", "O'Connor", "he/him", "1994-03-29", ""),
    ("Nora", "Halvorsen", "she/her", "1962-12-15", ""),
    ("Diego", "Santos", "he/him", "1989-06-01", ""),
    ("Ruth", "Goldberg", "she/her", "1956-08-13", ""),
    ("Isaac", "Thompson", "he/him", "2001-02-20", ""),
    ("Yara", "Haddad", "she/her", "1991-11-30", ""),
    ("Peter", "Novak", "he/him", "1968-05-06", ""),
    ("Zoe", "Alexander", "she/her", "1997-04-04", ""),
    ("Arjun", "Mehta", "he/him", "1980-10-10", ""),
]

STREETS = [
    "Queen St W",
    "Bloor St E",
    "Danforth Ave",
    "Dundas St W",
    "Roncesvalles Ave",
    "College St",
]
SERVICES = [
    ("Massage therapy, 60 minutes", 60),
    ("Massage therapy, 90 minutes", 90),
    ("Massage therapy, 30 minutes", 30),
]
DAY_STARTS = [time(9, 0), time(10, 30), time(12, 0), time(14, 0), time(15, 30), time(17, 0)]


def is_loaded() -> bool:
    return Practice.objects.exists()


def logins() -> list[tuple[str, str, str]]:
    return [(email, PASSWORD, str(role.label)) for email, _n, role, _t in STAFF]


@transaction.atomic
def load(today: date | None = None, seed: int = 2026) -> Practice | None:
    """Create the demo practice if the database holds no practice yet; otherwise do nothing."""
    if is_loaded():
        return None
    rng = random.Random(seed)  # noqa: S311 - reproducible fiction, not security
    tz = ZoneInfo(TZ)
    today = today or timezone.now().astimezone(tz).date()
    practice = Practice.objects.create(
        name="Breathe Deeply Massage",
        slug=SLUG,
        timezone=TZ,
        email="hello@breathe.example.com",
        phone="416-555-0100",
        address="214 Roncesvalles Ave\nToronto, ON",
    )
    members = []
    for email, name, role, treats in STAFF:
        user = User.objects.create_user(email=email, password=PASSWORD, full_name=name)
        members.append(
            Membership.objects.create(practice=practice, user=user, role=role, provides_treatment=treats)
        )
    therapists = [m for m in members if m.provides_treatment]

    clients = []
    for i, (first, last, pronouns, dob, _story) in enumerate(CLIENTS):
        slug = f"{first}.{last}".lower().replace("'", "")
        clients.append(
            Client.objects.create(
                practice=practice,
                first_name=first,
                last_name=last,
                pronouns=pronouns,
                preferred_name="Sammy" if first == "Sam" else "",
                email=f"{slug}@example.com",
                phone=f"416-555-01{10 + i:02d}",
                date_of_birth=date.fromisoformat(dob),
                address=f"{rng.randint(10, 990)} {rng.choice(STREETS)}\nToronto, ON",
                emergency_contact_name=f"{rng.choice(['Alex', 'Jordan', 'Casey', 'Robin', 'Taylor'])} {last}",
                emergency_contact_phone=f"416-555-01{60 + i:02d}",
                # Two clients are left unassigned so the owner sees what front desk must triage.
                assigned_therapist=None if i in (7, 19) else therapists[i % len(therapists)],
            )
        )

    appointments = []
    for offset in range(-42, 15):
        day = today + timedelta(days=offset)
        if day.weekday() == 6:  # closed on Sundays
            continue
        for therapist in therapists:
            hours = booking_demo.hours_of(therapist)
            own = [c for c in clients if c.assigned_therapist_id == therapist.pk] or clients
            for slot in rng.sample(DAY_STARTS, rng.randint(2, 4)):
                name, minutes = rng.choices(SERVICES, weights=[6, 2, 1])[0]
                start = datetime.combine(day, slot, tzinfo=tz)
                if offset < 0:
                    status = rng.choices(
                        [
                            AppointmentStatus.COMPLETED,
                            AppointmentStatus.CANCELLED,
                            AppointmentStatus.NO_SHOW,
                        ],
                        weights=[17, 2, 1],
                    )[0]
                else:
                    status = AppointmentStatus.BOOKED
                client = rng.choice(own)
                # Drawn in full either way, so the rest of the demo's story stays as it was.
                if not booking_demo.fits(hours, day, slot, minutes):
                    continue
                appointments.append(
                    Appointment(
                        practice=practice,
                        client=client,
                        therapist=therapist,
                        service_name=name,
                        start=start.astimezone(ZoneInfo("UTC")),
                        end=(start + timedelta(minutes=minutes)).astimezone(ZoneInfo("UTC")),
                        status=status,
                    )
                )
    Appointment.objects.bulk_create(appointments)
    intake_demo.load(practice, clients)
    notes_demo.load(practice, clients)
    safety_demo.load(practice)
    booking_demo.load(practice, today)
    billing_demo.load(practice, today)
    return practice
