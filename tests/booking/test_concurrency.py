"""Twenty people book the same slot at once: exactly one wins, on SQLite and on PostgreSQL.

The threads run real transactions against a real database, so these tests run outside the usual
per-test transaction (transaction=True), on the apps that may be emptied afterwards.

SQLite's in-memory test database can only be shared between threads in "shared cache" mode, whose
table locks fail at once instead of waiting: that would test SQLite's cache, not our write path. So
on SQLite the race runs again in a child pytest on a file database (BODYMAP_TEST_SQLITE), where
connections wait for the write lock exactly as they do in production.
"""

import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client as HttpClient

from bodymap.booking import actions
from bodymap.booking.models import Appointment
from tests.booking.conftest import at, make_bookable, next_weekday
from tests.browser.conftest import APPS
from tests.cast import build_cast

THREADS = 20
pytestmark = pytest.mark.django_db(transaction=True, available_apps=APPS)


def _race(work):
    """Run `work(i)` in THREADS threads released together; return their results in order."""
    barrier = threading.Barrier(THREADS)
    results = [None] * THREADS

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _in_memory_sqlite():
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.fixture
def setup():
    if _in_memory_sqlite():
        pytest.skip("run on a file database by test_it_races_on_a_sqlite_file_database")
    return make_bookable(build_cast())


def test_it_races_on_a_sqlite_file_database(tmp_path):
    if not _in_memory_sqlite():
        pytest.skip("this database is shared between threads as it is")
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "BODYMAP_TEST_SQLITE": str(tmp_path / "race.sqlite3"), "BODYMAP_ENV": "development"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603 - our own test file, run by our own interpreter
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "not file_database", __file__],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "2 passed" in result.stdout, result.stdout[-2000:]


def test_it_books_a_contested_slot_exactly_once_through_the_api(setup):
    start = at(next_weekday(2), 10).isoformat()

    def book(i):
        http = HttpClient(REMOTE_ADDR=f"10.0.0.{i + 1}")
        response = http.post(
            "/api/v1/bookings",
            {
                "service": "massage-60",
                "therapist": "terry",
                "start": start,
                "client": {"name": f"Client {i}", "email": f"client{i}@example.com"},
            },
            content_type="application/json",
        )
        return response.status_code

    statuses = _race(book)
    assert sorted(statuses) == [201] + [409] * (THREADS - 1), statuses
    assert Appointment.objects.filter(therapist=setup.cast.therapist, start=start).count() == 1


def test_it_moves_contested_appointments_into_one_slot_exactly_once(setup):
    cast = setup.cast
    day = next_weekday(3)
    target = at(day, 15)
    # Twenty appointments across the week, each moved by staff into the same hour at once.
    clients = [cast.client, cast.other_client, cast.booked_client]
    appointments = []
    for i in range(THREADS):
        start = at(next_weekday(i % 5, weeks=2 + i // 5), 9)
        appointment, _ = actions.book_appointment(
            practice=cast.practice,
            service=setup.service,
            therapist=cast.therapist,
            start=start,
            client=clients[i % 3],
            actor=cast.owner,
        )
        appointments.append(appointment)

    def move(i):
        try:
            actions.move_appointment(appointment=appointments[i], start=target, actor=cast.front_desk)
        except actions.SlotTaken:
            return 409
        return 200

    statuses = _race(move)
    assert sorted(statuses) == [200] + [409] * (THREADS - 1), statuses
    held = (
        Appointment.objects.holding_time()
        .filter(therapist=cast.therapist)
        .between(target, target + timedelta(hours=1))
    )
    assert held.count() == 1
