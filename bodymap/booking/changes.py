"""The practice's rule for changes by clients: a booking may be moved or cancelled online until the
change window before it begins. The manage link and the portal both ask here."""

from datetime import datetime, timedelta

from django.utils import timezone

from bodymap.booking.availability import rules_for
from bodymap.booking.models import Appointment, AppointmentStatus


def change_deadline(appointment: Appointment, rules=None) -> datetime:
    rules = rules or rules_for(appointment.practice)
    return appointment.start - timedelta(hours=rules.cancellation_window_hours)


def client_may_change(appointment: Appointment, rules=None, now=None) -> bool:
    now = now or timezone.now()
    return appointment.status == AppointmentStatus.BOOKED and now < change_deadline(appointment, rules)
