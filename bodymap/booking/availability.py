"""Free slots, computed in plain Python from a handful of queries.

Six queries answer any range, for one therapist or all of them: the rules, the therapists, their
weekly hours, one-off day changes, time off, and the appointments that hold time. Everything after
that is interval arithmetic in UTC, so the cost grows with the slots returned, not with queries.
"""

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connections
from django.db.models import BigIntegerField, F, Func, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from bodymap.accounts.models import Membership
from bodymap.booking.models import (
    LONGEST_APPOINTMENT,
    Appointment,
    AppointmentStatus,
    BookingSettings,
    DayOverride,
    Service,
    TimeOff,
    WorkingHours,
)


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime  # UTC
    end: datetime  # UTC, end of the treatment (the turnover buffer comes after)
    therapist: Membership

    @property
    def therapist_slug(self) -> str:
        return therapist_slug(self.therapist)


def therapist_slug(membership: Membership) -> str:
    profile = getattr(membership, "booking_profile", None)
    return profile.slug if profile is not None else str(membership.public_id)


def rules_for(practice) -> BookingSettings:
    """The practice's booking rules; the defaults when it has never changed them."""
    rules = BookingSettings.objects.filter(practice=practice).first()
    return rules or BookingSettings(practice=practice)


def _local(day: date, at: time, tz: ZoneInfo) -> datetime:
    # fold=0: a wall time repeated when the clocks go back means its first occurrence.
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def _us(moment: datetime) -> int:
    """An aware datetime as whole microseconds since the epoch: exact, unlike a float timestamp."""
    return (moment - EPOCH) // MICROSECOND


def _merge(intervals):
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    return merged


def working_times(hours, overrides):
    """The [start, end) local wall times a therapist works on a day: the day's own hours when it has
    a one-off change (`overrides`, possibly a day off), else the weekly `hours` split at any break."""
    if overrides is not None:
        return [(o.start, o.end) for o in overrides if o.start is not None]
    times = []
    for h in hours:
        if h.break_start is not None:
            times.append((h.start, h.break_start))
            times.append((h.break_end, h.end))
        else:
            times.append((h.start, h.end))
    return times


def working_intervals(day, hours, overrides, tz):
    """The [start, end) intervals, in UTC, that a therapist works on a local date."""
    return [(_local(day, start, tz), _local(day, end, tz)) for start, end in working_times(hours, overrides)]


# The fields as whole microseconds since the epoch, computed by the database. PostgreSQL converts
# its timestamps itself. SQLite keeps UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]": whole seconds from
# the first 19 characters (strftime would round a fraction of .9995 up to the next second) plus the
# fraction's digits, padded to six.
MICROS_SQL = {
    "postgresql": "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint",
    "sqlite": (
        "(CAST(strftime('%%%%s', substr(%(expressions)s, 1, 19)) AS INTEGER) * 1000000"
        " + CAST(substr(%(expressions)s || '000000', 21, 6) AS INTEGER))"
    ),
}


def _utc_times(queryset, *fields):
    """(therapist_id, *fields) rows with the fields as microseconds since the epoch. Turning two
    thousand appointments' times into aware datetimes (Django's converter on SQLite, psycopg's
    Python loader on PostgreSQL) cost more than the whole slot arithmetic, and parsing SQLite's text
    in Python still cost a third of it: the database sends the integers, exactly, on both."""
    template = MICROS_SQL.get(connections[queryset.db].vendor)
    if template is None:
        rows = queryset.values_list("therapist_id", *fields)
        return [(tid, *(_us(t) for t in times)) for tid, *times in rows]
    micros = {
        f"{field}_us": Func(F(field), template=template, output_field=BigIntegerField()) for field in fields
    }
    # The rows as the database sends them: they are integers already, and Django's per-value
    # converters would cost as much again as reading them.
    sql, params = queryset.annotate(**micros).values_list("therapist_id", *micros).query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def therapists_offering(practice, service: Service, *, online=True):
    qs = (
        Membership.objects.therapists()
        .filter(practice=practice, services=service)
        .select_related("user", "booking_profile")
        .order_by("created_at", "id")
    )
    if online:
        qs = qs.filter(booking_profile__bookable_online=True)
    return qs


def free_slots(
    practice,
    service: Service,
    start_date: date,
    end_date: date,
    *,
    therapist: Membership | None = None,
    therapists=None,
    rules: BookingSettings | None = None,
    now: datetime | None = None,
    online: bool = True,
    ignore: Appointment | None = None,
    first_free_only: bool = False,
) -> list[Slot]:
    """Every free slot for `service` on the practice's local dates start_date..end_date (inclusive),
    with one therapist or any who offer it, sorted by start then therapist. `first_free_only`: one
    slot per start time, with the first therapist free then (for "anyone")."""
    now = now or timezone.now()
    rules = rules or rules_for(practice)
    tz = ZoneInfo(practice.timezone)
    if therapists is None:
        therapists = therapists_offering(practice, service, online=online)
        if therapist is not None:
            therapists = therapists.filter(pk=therapist.pk)
        therapists = list(therapists)
    if not therapists or end_date < start_date:
        return []
    ids = [t.pk for t in therapists]

    range_start = _local(start_date, time.min, tz)
    range_end = _local(end_date + timedelta(days=1), time.min, tz)
    earliest = max(range_start, now + rules.min_notice)
    latest = now + rules.horizon
    if earliest >= range_end or earliest > latest:
        return []

    weekly = defaultdict(list)
    # Plain rows with the fields working_times reads: six a therapist, no model instance needed.
    hours = WorkingHours.objects.filter(therapist_id__in=ids).order_by("start")
    for h in hours.values_list(
        "therapist_id", "weekday", "start", "end", "break_start", "break_end", named=True
    ):
        weekly[h.therapist_id, h.weekday].append(h)
    overrides = defaultdict(list)
    for o in DayOverride.objects.filter(therapist_id__in=ids, date__range=(start_date, end_date)):
        overrides[o.therapist_id, o.date].append(o)
    busy = defaultdict(list)  # therapist → [(start, end)] in microseconds since the epoch
    # Anything that could touch the range: a slot's buffer reaches past the range end.
    reach = range_end + service.buffer + timedelta(days=1)
    for tid, s, e in TimeOff.objects.filter(
        therapist_id__in=ids, start__lt=reach, end__gt=range_start
    ).values_list("therapist_id", "start", "end"):
        busy[tid].append((_us(s), _us(e)))
    appointments = (
        Appointment.objects.filter(therapist_id__in=ids)
        .exclude(status=AppointmentStatus.CANCELLED)
        .exclude(Q(status=AppointmentStatus.HELD) & Q(hold_expires_at__lte=now))
        .exclude(pk=ignore.pk if ignore is not None else None)
        .annotate(blocked_until=Coalesce("holds_until", "end"))
        .filter(
            start__lt=reach,
            blocked_until__gt=range_start - timedelta(days=1),
            # A lower bound the (therapist, start) index can use: the history before is never read.
            start__gt=range_start - timedelta(days=1) - LONGEST_APPOINTMENT,
        )
    )
    for tid, s, e in _utc_times(appointments, "start", "blocked_until"):
        busy[tid].append((s, e))

    # The loop below runs in whole microseconds since the epoch: integer arithmetic is several times
    # cheaper than aware datetimes, and only the slots returned are turned back into datetimes.
    duration = service.duration
    duration_us, buffer_us = duration // MICROSECOND, service.buffer // MICROSECOND
    step_us = timedelta(minutes=rules.slot_step_minutes) // MICROSECOND
    earliest_us, latest_us = _us(earliest), _us(latest)
    # Local wall times to UTC, once per date and time: thirty therapists mostly share their hours.
    local_us = {}

    def to_us(day, at):
        key = (day, at)
        if key not in local_us:
            local_us[key] = _us(_local(day, at, tz))
        return local_us[key]

    found = []  # (start in microseconds, the therapist's place in `therapists`)
    for place, member in enumerate(therapists):
        pk = member.pk
        merged = _merge(busy[pk])
        starts = [b[0] for b in merged]
        ends = [b[1] for b in merged]
        day = start_date
        while day <= end_date:
            for work_start, work_end in working_times(
                weekly.get((pk, day.weekday()), ()), overrides.get((pk, day))
            ):
                slot_start, work_end_us = to_us(day, work_start), to_us(day, work_end)
                while slot_start + duration_us <= work_end_us:
                    if slot_start > latest_us:
                        break
                    if slot_start >= earliest_us:
                        blocked_until = slot_start + duration_us + buffer_us
                        # The first busy interval that ends after the slot starts is the only one
                        # that can overlap it, because the merged intervals are sorted and disjoint.
                        i = bisect_right(ends, slot_start)
                        if i == len(starts) or starts[i] >= blocked_until:
                            found.append((slot_start, place))
                        else:
                            # Jump past the busy interval instead of testing every step inside it.
                            skip = ends[i] - slot_start
                            steps = max(1, -(-skip // step_us))
                            slot_start += step_us * steps if starts[i] <= slot_start else step_us
                            continue
                    slot_start += step_us
            day += timedelta(days=1)
    found.sort()
    if first_free_only:
        # Sorted by start then place: the first of each start time is the first therapist free then.
        found = [row for n, row in enumerate(found) if n == 0 or found[n - 1][0] != row[0]]
    slots = []
    for slot_start, place in found:
        start = EPOCH + timedelta(microseconds=slot_start)
        slots.append(Slot(start, start + duration, therapists[place]))
    return slots


def is_bookable(practice, service, therapist, start, *, rules=None, now=None, online=True) -> bool:
    """Whether `start` is one of the free slots with `therapist` (working hours, notice, horizon…)."""
    tz = ZoneInfo(practice.timezone)
    day = start.astimezone(tz).date()
    slots = free_slots(practice, service, day, day, therapist=therapist, rules=rules, now=now, online=online)
    return any(slot.start == start for slot in slots)
