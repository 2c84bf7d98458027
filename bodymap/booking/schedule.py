"""Booked appointments that a change of hours, a day change or time off has left stranded.

Changing a schedule never moves or cancels anyone: a therapist may take time off around a booked
client. The setup pages list what now falls outside the hours so front desk can move it.
"""

from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bodymap.booking.availability import working_intervals
from bodymap.booking.models import Appointment, AppointmentStatus, DayOverride, TimeOff, WorkingHours


@dataclass(frozen=True)
class Stranded:
    appointment: Appointment
    reason: str


def stranded_appointments(therapist, *, now=None) -> list[Stranded]:
    """Booked or checked-in appointments not yet over that lie outside the therapist's working
    hours (day changes included) or overlap their time off. Four queries."""
    now = now or timezone.now()
    tz = ZoneInfo(therapist.practice.timezone)
    appointments = list(
        Appointment.objects.filter(
            therapist=therapist,
            status__in=(AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN),
            end__gt=now,
        )
        .select_related("client", "therapist__user")
        .order_by("start", "id")
    )
    if not appointments:
        return []
    first = appointments[0].start.astimezone(tz).date()
    last = appointments[-1].start.astimezone(tz).date()
    weekly = defaultdict(list)
    for h in WorkingHours.objects.filter(therapist=therapist).order_by("start"):
        weekly[h.weekday].append(h)
    overrides = defaultdict(list)
    for o in DayOverride.objects.filter(therapist=therapist, date__range=(first, last)):
        overrides[o.date].append(o)
    away = list(
        TimeOff.objects.filter(
            therapist=therapist, end__gt=appointments[0].start, start__lt=appointments[-1].end
        ).values_list("start", "end")
    )
    stranded = []
    for appointment in appointments:
        day = appointment.start.astimezone(tz).date()
        if any(s < appointment.end and appointment.start < e for s, e in away):
            stranded.append(Stranded(appointment, _("during time off")))
            continue
        intervals = working_intervals(day, weekly.get(day.weekday(), ()), overrides.get(day), tz)
        if not any(s <= appointment.start and appointment.end <= e for s, e in intervals):
            stranded.append(Stranded(appointment, _("outside working hours")))
    return stranded
