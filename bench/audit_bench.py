"""Benchmark the owner's audit log with 2 million entries: the first page, a page a million entries
deep, and one client's entries, on SQLite and on PostgreSQL, in one run.

Run: nice -n 10 .venv/bin/python bench/audit_bench.py   (or `make bench`; ENTRIES=200000 for a quick run)
PostgreSQL is reached at BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres); the
benchmark creates and drops its own database there. Each page is what the view reads: the filtered,
keyset-paged entries and the names they mention. Target: under 50 ms each, with the same number of
queries as on a practice with a few hundred entries.
"""

import json
import os
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

from _harness import RUNS, timed
from _harness import run as run_each_database

TARGET_MS = 50.0
ENTRIES = int(os.environ.get("ENTRIES", "2000000"))
CLIENTS = 2000
ACTIONS = ["view", "view", "view", "list", "change", "create", "export"]
COLUMNS = [
    "public_id",
    "practice_id",
    "actor_id",
    "actor_label",
    "action",
    "subject_type",
    "subject_public_id",
    "client_public_id",
    "created_at",
    "ip_address",
    "details",
    "chain_hash",
]


def _rows(practice_id, staff, clients, count, start, head):
    """`count` entries, 45 seconds apart, about the practice's clients, chained on from head[0]
    (which is left holding the new head)."""
    import random

    from bodymap.audit import chain

    rng = random.Random(practice_id)  # noqa: S311 - reproducible data, not security
    previous = head[0]
    for n in range(count):
        user_id, email = rng.choice(staff)
        client = rng.choice(clients)
        action = rng.choice(ACTIONS)
        row = {
            "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "practice_id": practice_id,
            "actor_id": user_id,
            "actor_label": email,
            "action": action,
            "subject_type": "client",
            "subject_public_id": client,
            "client_public_id": client,
            "created_at": start + timedelta(seconds=n * 45),
            "ip_address": "203.0.113.9",
            "details": {"fields": ["phone", "email"]} if action == "change" else {"via": "chart"},
        }
        previous = head[0] = row["chain_hash"] = chain.link(previous, row)
        yield row


def _insert(rows):
    """Bulk insert, straight through the driver: COPY on PostgreSQL, executemany on SQLite."""
    from django.db import connection, transaction

    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            copy_sql = f"COPY audit_auditentry ({', '.join(COLUMNS)}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row([json.dumps(row[c]) if c == "details" else row[c] for c in COLUMNS])
            cursor.execute("ANALYZE audit_auditentry")
        return

    def sqlite_value(column, value):
        if isinstance(value, uuid.UUID):
            return value.hex
        if column == "created_at":
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
        if column == "details":
            return json.dumps(value)
        return value

    placeholders = ", ".join("?" for _ in COLUMNS)
    insert = f"INSERT INTO audit_auditentry ({', '.join(COLUMNS)}) VALUES ({placeholders})"  # noqa: S608
    raw = connection.connection
    # Django runs SQLite in autocommit: without one explicit transaction every row would be synced.
    raw.execute("BEGIN")
    batch = []
    for row in rows:
        batch.append([sqlite_value(c, row[c]) for c in COLUMNS])
        if len(batch) == 50000:
            raw.executemany(insert, batch)
            batch = []
    if batch:
        raw.executemany(insert, batch)
    raw.commit()
    raw.execute("ANALYZE")


def _practice(label, clients):
    from bodymap.accounts.models import Membership, Practice, User
    from bodymap.clients.models import Client

    practice = Practice.objects.create(
        name=f"Bench {label}", slug=f"bench-{label}", timezone="America/Toronto"
    )
    staff = []
    for n, role in enumerate(["owner", "therapist", "therapist", "front_desk"]):
        user = User.objects.create_user(email=f"{role}{n}-{label}@bench.example.com", full_name=f"Staff {n}")
        Membership.objects.create(
            practice=practice, user=user, role=role, provides_treatment=role != "front_desk"
        )
        staff.append((user.id, user.email))
    made = Client.objects.bulk_create(
        Client(practice=practice, first_name=f"Client{n}", last_name="Bench") for n in range(clients)
    )
    return practice, staff, [c.public_id for c in made]


def _pages(practice, deep_before):
    from bodymap.audit import browse, display
    from bodymap.audit.models import AuditEntry
    from bodymap.clients.models import Client

    newest = AuditEntry.objects.filter(practice=practice).order_by("-id").first()
    client = Client.objects.get(public_id=newest.client_public_id)

    def page(data, before=None):
        def run():
            result = browse.page_of(browse.filtered(practice, data), before=before)
            return display.rows_for(result.entries, practice)

        return run

    return {
        "first page": timed(page({})),
        "deep page": timed(page({}, before=deep_before)),
        "one client": timed(page({"client": client})),
    }


def measure() -> dict:
    """Runs inside a child process whose DATABASE_URL points at an empty, migrated database."""
    from bodymap.audit import chain
    from bodymap.audit.models import AuditEntry

    start = datetime(2023, 11, 1, 13, 0, tzinfo=UTC)
    small, small_staff, small_clients = _practice("small", 20)
    big, big_staff, big_clients = _practice("large", CLIENTS)
    started = time.perf_counter()
    head = [chain.GENESIS]
    _insert(_rows(small.id, small_staff, small_clients, 300, start, head))
    _insert(_rows(big.id, big_staff, big_clients, ENTRIES, start, head))
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    verified = chain.verify()
    verify_s = time.perf_counter() - started
    assert verified.broken is None and verified.head == head[0], verified
    ids = AuditEntry.objects.filter(practice=big).order_by("id").values_list("id", flat=True)
    middle = ids[ENTRIES // 2]
    small_middle = AuditEntry.objects.filter(practice=small).order_by("id").values_list("id", flat=True)[150]
    return {
        "entries": AuditEntry.objects.filter(practice=big).count(),
        "build_s": build_s,
        "verify_s": verify_s,
        "large": _pages(big, middle),
        "small": _pages(small, small_middle),
    }


def main() -> int:
    figures = run_each_database(__file__, measure, "bodymap_audit_bench")
    if figures is None:
        return 0  # the child printed its figures
    runs = [{"vendor": child["vendor"], **child["results"]} for child in figures]
    print(f"Owner's audit log, median of {RUNS} runs (in process)")
    ok = True
    for run in runs:
        print(
            f"{run['vendor']}: {run['entries']:,} entries (built in {run['build_s']:.0f} s; "
            f"verify_audit walked the chain in {run['verify_s']:.0f} s)"
        )
        for name, big in run["large"].items():
            small = run["small"][name]
            print(
                f"  {name:<11} {big['median_ms']:6.1f} ms, {big['queries']} queries "
                f"(300 entries: {small['median_ms']:.1f} ms, {small['queries']} queries)"
            )
            ok &= big["median_ms"] < TARGET_MS and big["queries"] == small["queries"]
    print(
        f"target: under {TARGET_MS:.0f} ms each with a constant number of queries:",
        "met" if ok else "NOT met",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
