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

from django.db import connection
from django.db.models import BigIntegerField, CharField, F, Func, Q
from django.db.models.functions import Cast, Coalesce
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


def working_intervals(day, hours, overrides, tz):
    """The [start, end) intervals, in UTC, that a therapist works on a local date."""
    if overrides is not None:
        return [(_local(day, o.start, tz), _local(day, o.end, tz)) for o in overrides if o.start is not None]
    intervals = []
    for h in hours:
        if h.break_start is not None:
            intervals.append((_local(day, h.start, tz), _local(day, h.break_start, tz)))
            intervals.append((_local(day, h.break_end, tz), _local(day, h.end, tz)))
        else:
            intervals.append((_local(day, h.start, tz), _local(day, h.end, tz)))
    return intervals


def _utc_times(queryset, *fields):
    """(therapist_id, *fields) rows with the fields as microseconds since the epoch. Turning two
    thousand appointments' times into aware datetimes (Django's converter on SQLite, psycopg's
    Python loader on PostgreSQL) cost more than the whole slot arithmetic; SQLite's UTC text is read
    with `fromisoformat` (in C), and PostgreSQL sends the integers itself, exactly."""
    if connection.vendor == "postgresql":
        micros = {
            f"{field}_us": Func(
                F(field),
                template="(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint",
                output_field=BigIntegerField(),
            )
            for field in fields
        }
        return queryset.annotate(**micros).values_list("therapist_id", *micros)
    texts = {f"{field}_text": Cast(field, CharField()) for field in fields}
    rows = queryset.annotate(**texts).values_list("therapist_id", *texts)
    parse = datetime.fromisoformat
    return [(tid, *(_us(parse(t).replace(tzinfo=UTC)) for t in times)) for tid, *times in rows]


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
) -> list[Slot]:
    """Every free slot for `service` on the practice's local dates start_date..end_date (inclusive),
    with one therapist or any who offer it, sorted by start then therapist."""
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
    for h in WorkingHours.objects.filter(therapist_id__in=ids).order_by("start"):
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
    # cheaper than aware datetimes, and only the free slots are turned back into datetimes.
    duration = service.duration
    duration_us, buffer_us = duration // MICROSECOND, service.buffer // MICROSECOND
    step_us = timedelta(minutes=rules.slot_step_minutes) // MICROSECOND
    earliest_us, latest_us = _us(earliest), _us(latest)
    slots = []
    for member in therapists:
        pk = member.pk
        merged = _merge(busy[pk])
        starts = [b[0] for b in merged]
        ends = [b[1] for b in merged]
        day = start_date
        while day <= end_date:
            for work_start, work_end in working_intervals(
                day, weekly.get((pk, day.weekday()), ()), overrides.get((pk, day)), tz
            ):
                slot_start, work_end_us = _us(work_start), _us(work_end)
                while slot_start + duration_us <= work_end_us:
                    if slot_start > latest_us:
                        break
                    if slot_start >= earliest_us:
                        blocked_until = slot_start + duration_us + buffer_us
                        # The first busy interval that ends after the slot starts is the only one
                        # that can overlap it, because the merged intervals are sorted and disjoint.
                        i = bisect_right(ends, slot_start)
                        if i == len(starts) or starts[i] >= blocked_until:
                            start = EPOCH + timedelta(microseconds=slot_start)
                            slots.append(Slot(start, start + duration, member))
                        else:
                            # Jump past the busy interval instead of testing every step inside it.
                            skip = ends[i] - slot_start
                            steps = max(1, -(-skip // step_us))
                            slot_start += step_us * steps if starts[i] <= slot_start else step_us
                            continue
                    slot_start += step_us
            day += timedelta(days=1)
    order = {tid: i for i, tid in enumerate(ids)}
    slots.sort(key=lambda s: (s.start, order[s.therapist.pk]))
    return slots


def one_per_time(slots: list[Slot]) -> list[Slot]:
    """For "any therapist": the first free therapist at each start time."""
    seen, chosen = set(), []
    for slot in slots:
        if slot.start not in seen:
            seen.add(slot.start)
            chosen.append(slot)
    return chosen


def is_bookable(practice, service, therapist, start, *, rules=None, now=None, online=True) -> bool:
    """Whether `start` is one of the free slots with `therapist` (working hours, notice, horizon…)."""
    tz = ZoneInfo(practice.timezone)
    day = start.astimezone(tz).date()
    slots = free_slots(practice, service, day, day, therapist=therapist, rules=rules, now=now, online=online)
    return any(slot.start == start for slot in slots)
