"""Time django-appointment's availability over the scenario given on standard input.

Run by bench/availability_bench.py with the peer's own virtualenv. It computes a month of free slots
the way the peer's booking page does, one day per request: check the day off, check the working day,
then get_available_slots_for_staff(date, staff member, weekday, service).
"""

import json
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path

import django
from django.conf import settings

scenario = json.load(sys.stdin)
tmp = Path(tempfile.mkdtemp(prefix="peer-bench-"))
settings.configure(
    DEBUG=False,
    SECRET_KEY="peer-benchmark-only-" + "x" * 40,
    USE_TZ=True,
    TIME_ZONE=scenario["timezone"],
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "phonenumber_field",
        "appointment",
    ],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp / "peer.sqlite3")}},
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    LOGGING_CONFIG=None,
)
django.setup()

from appointment.models import (  # noqa: E402
    Appointment,
    AppointmentRequest,
    Service,
    StaffMember,
    WorkingHours,
)
from appointment.services import get_available_slots_for_staff  # noqa: E402
from appointment.utils.db_helpers import (  # noqa: E402
    check_day_off_for_staff,
    get_weekday_num_from_date,
    is_working_day,
)
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

call_command("migrate", run_syncdb=True, verbosity=0)


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


def month_of_slots(staff, service, first, days):
    slots = 0
    for offset in range(days):
        day = first + timedelta(days=offset)
        if check_day_off_for_staff(staff_member=staff, date=day):
            continue
        weekday = get_weekday_num_from_date(day)
        if not is_working_day(staff_member=staff, day=weekday):
            continue
        slots += len(get_available_slots_for_staff(day, staff, weekday, service=service))
    return slots


def run():
    user_model = get_user_model()
    results = {}
    first = date.fromisoformat(scenario["first_day"])
    for count, appointments in scenario["appointments"].items():
        AppointmentRequest.objects.all().delete()
        StaffMember.objects.all().delete()
        user_model.objects.all().delete()
        Service.objects.all().delete()
        service = Service.objects.create(
            name="Massage", duration=timedelta(minutes=scenario["service_minutes"]), price=100
        )
        user = user_model.objects.create_user(username="therapist", email="t@example.com", first_name="Terry")
        staff = StaffMember.objects.create(user=user, slot_duration=scenario["step_minutes"])
        staff.services_offered.add(service)
        for weekday in range(5):  # the peer numbers Sunday 0: Monday is 1
            WorkingHours.objects.create(
                staff_member=staff,
                day_of_week=weekday + 1,
                start_time=time_of_day.fromisoformat(scenario["open"]),
                end_time=time_of_day.fromisoformat(scenario["close"]),
            )
        client = user_model.objects.create_user(username="client", email="c@example.com")
        for day, start, minutes in appointments:
            begin = datetime.combine(date.fromisoformat(day), time_of_day.fromisoformat(start))
            request = AppointmentRequest.objects.create(
                date=begin.date(),
                start_time=begin.time(),
                end_time=(begin + timedelta(minutes=minutes)).time(),
                service=service,
                staff_member=staff,
            )
            Appointment.objects.create(client=client, appointment_request=request)
        timings, slots = [], 0
        month_of_slots(staff, service, first, scenario["days"])  # warm up
        for _ in range(scenario["repeat"]):
            with QueryCounter(connection) as queries:
                began = time.perf_counter()
                slots = month_of_slots(staff, service, first, scenario["days"])
                timings.append(time.perf_counter() - began)
        results[count] = {
            "median_ms": statistics.median(timings) * 1000,
            "queries": queries.count,
            "slots": slots,
        }
    return results


json.dump(run(), sys.stdout)
