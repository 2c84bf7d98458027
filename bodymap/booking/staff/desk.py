"""What the front desk needs to book a caller: the free times, whether a time lies inside the
therapist's working hours, and, when a time is refused, what it clashes with and what is free next."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bodymap.access import may_name_client
from bodymap.booking import actions
from bodymap.booking.availability import free_slots, rules_for, working_intervals
from bodymap.booking.models import Appointment, BookingSettings, DayOverride, TimeOff, WorkingHours
from bodymap.clients.actions import create_client

# How far ahead "the next free times" looks after a refused time.
NEXT_FREE_DAYS = 14


@dataclass(frozen=True)
class Length:
    """The time a booking holds, for appointments whose service has gone: free_slots needs only this."""

    duration: timedelta
    buffer: timedelta


def desk_rules(practice) -> BookingSettings:
    """Staff book on the telephone: no minimum notice and a year ahead, on the practice's step."""
    rules = rules_for(practice)
    return BookingSettings(
        practice=practice, min_notice_minutes=0, horizon_days=365, slot_step_minutes=rules.slot_step_minutes
    )


def free_times(practice, length, therapist, first: date, last: date | None = None, *, ignore=None, now=None):
    """The free start times with `therapist` on the local dates first..last, for a booking that
    holds `length` (a Service, or a Length)."""
    return free_slots(
        practice,
        length,
        first,
        last or first,
        therapists=[therapist],
        rules=desk_rules(practice),
        online=False,
        ignore=ignore,
        now=now,
    )


def next_free_times(practice, length, therapist, after: datetime, *, ignore=None, count=3):
    """The first `count` free times with `therapist` from `after` on, within NEXT_FREE_DAYS."""
    day = timezone.localtime(after, ZoneInfo(practice.timezone)).date()
    slots = free_times(practice, length, therapist, day, day + timedelta(days=NEXT_FREE_DAYS), ignore=ignore)
    return [slot for slot in slots if slot.start >= after][:count]


def outside_hours(therapist, start: datetime, end: datetime) -> str | None:
    """Why `start`–`end` is outside what `therapist` works, in words for a warning; None if inside."""
    tz = ZoneInfo(therapist.practice.timezone)
    day = start.astimezone(tz).date()
    name = therapist.display_name
    if TimeOff.objects.filter(therapist=therapist, start__lt=end, end__gt=start).exists():
        return _("%(name)s has time off then.") % {"name": name}
    overrides = list(DayOverride.objects.filter(therapist=therapist, date=day)) or None
    hours = WorkingHours.objects.filter(therapist=therapist, weekday=day.weekday()).order_by("start")
    if any(s <= start and end <= e for s, e in working_intervals(day, hours, overrides, tz)):
        return None
    return _("This is outside %(name)s's working hours.") % {"name": name}


def describe_clash(membership, therapist, start: datetime, blocked_until: datetime, *, ignore=None) -> str:
    """What a refused time overlaps: the time and therapist, and the client's name only if the
    acting member of staff may see that client."""
    clashes = Appointment.objects.filter(therapist=therapist).blocking(start, blocked_until)
    if ignore is not None:
        clashes = clashes.exclude(pk=ignore.pk)
    clash = clashes.select_related("client").order_by("start").first()
    if clash is None:  # taken and freed again in between: the database refused a booking since gone
        return _("This time was just taken.")
    tz = ZoneInfo(therapist.practice.timezone)
    when = f"{clash.start.astimezone(tz):%H:%M}–{clash.end.astimezone(tz):%H:%M}"
    if may_name_client(membership, clash.client_id):
        return _("This time overlaps %(client)s with %(therapist)s, %(when)s.") % {
            "client": clash.client.display_name,
            "therapist": therapist.display_name,
            "when": when,
        }
    return _("This time overlaps another appointment with %(therapist)s, %(when)s.") % {
        "therapist": therapist.display_name,
        "when": when,
    }


def book_at_desk(*, membership, client, new_client_form, request, **booking):
    """Book, creating the new client first when there is one; a refused time creates nobody."""
    with transaction.atomic():
        if client is None:
            client = create_client(membership=membership, form=new_client_form, request=request)
        appointment, _created = actions.book_appointment(
            practice=membership.practice, client=client, actor=membership, request=request, **booking
        )
    return appointment
