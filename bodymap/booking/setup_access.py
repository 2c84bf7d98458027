"""Who may change which part of the booking setup. Every setup view fetches through these helpers.

- The owner changes everything: services, booking rules, anyone's hours, day changes and time off.
- A therapist changes their own working hours, day changes and time off.
- Front desk runs the diary: day changes and time off of any therapist, nothing else.
Everyone on the staff reads the overview; anyone else gets a 404.
"""

from django.http import Http404
from django.utils import timezone

from bodymap.access import calendar_therapists_for
from bodymap.accounts.models import Membership, Role
from bodymap.booking.models import DayOverride, TimeOff


def hours_therapists_for(membership: Membership):
    """Whose weekly hours a staff member may change: anyone's for the owner, their own for a
    therapist, nobody's for front desk."""
    if membership.role == Role.FRONT_DESK:
        return Membership.objects.none()
    return calendar_therapists_for(membership)


def diary_therapists_for(membership: Membership):
    """Whose day changes and time off a staff member may change (the same people whose calendar
    they open)."""
    return calendar_therapists_for(membership)


def _one(queryset, public_id):
    found = queryset.filter(public_id=public_id).first()
    if found is None:
        raise Http404
    return found


def get_hours_therapist_for_user(request, public_id) -> Membership:
    return _one(hours_therapists_for(request.membership), public_id)


def get_diary_therapist_for_user(request, public_id) -> Membership:
    return _one(diary_therapists_for(request.membership), public_id)


def get_upcoming_time_off_for_user(request, public_id) -> TimeOff:
    """Time off not yet over, of a therapist whose diary the acting user runs."""
    return _one(
        TimeOff.objects.filter(
            therapist__in=diary_therapists_for(request.membership), end__gt=timezone.now()
        ).select_related("therapist__practice"),
        public_id,
    )


def get_upcoming_day_change_for_user(request, public_id) -> DayOverride:
    return _one(
        DayOverride.objects.filter(
            therapist__in=diary_therapists_for(request.membership), date__gte=timezone.localdate()
        ).select_related("therapist__practice"),
        public_id,
    )
