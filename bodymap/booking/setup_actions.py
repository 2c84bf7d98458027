"""Writes of the booking setup: services, weekly hours, day changes, time off and booking rules.

Each runs in a transaction with its audit entry, which names the fields that changed, never their
values. Schedule rows (hours, day changes, time off) are plain data, not records with legal weight,
so they are replaced and removed; services are archived, never deleted, because appointments keep
pointing at them.
"""

from django.db import IntegrityError, transaction

from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.booking.models import BookingSettings, DayOverride, Service, TimeOff, WorkingHours

HOURS_FIELDS = ("start", "end", "break_start", "break_end")


class SlugTaken(Exception):
    """Another service of the practice already has this web address."""


@transaction.atomic
def save_service(*, service: Service, therapists, changed, actor, request=None) -> Service:
    """Create or change a service. `changed` names the fields the form changed."""
    creating = service.pk is None
    try:
        # A savepoint, so that a clash lost to a concurrent save leaves the outer transaction usable.
        with transaction.atomic():
            service.save()
    except IntegrityError as error:
        if "slug" in str(error) or "service_slug_once_per_practice" in str(error):
            raise SlugTaken from error
        raise
    service.therapists.set(therapists)
    record(
        actor=actor.user,
        practice=service.practice,
        action=AuditAction.CREATE if creating else AuditAction.CHANGE,
        subject_type="service",
        subject_public_id=service.public_id,
        request=request,
        fields=sorted(changed),
    )
    return service


@transaction.atomic
def save_working_hours(*, therapist, week, actor, request=None) -> list[str]:
    """Replace a therapist's weekly hours. `week` maps each weekday (0 = Monday) to None (closed) or a
    dict of start, end, break_start, break_end. Returns the names of the fields that changed."""
    current = {h.weekday: h for h in WorkingHours.objects.select_for_update().filter(therapist=therapist)}
    changed_days, changed_fields = [], set()
    for weekday in range(7):
        before, after = current.get(weekday), week.get(weekday)
        if before is None and after is None:
            continue
        if before is None or after is None:
            changed_days.append(weekday)
            changed_fields.update(f for f in HOURS_FIELDS if (after or {}).get(f) or getattr(before, f, None))
            continue
        fields = [f for f in HOURS_FIELDS if getattr(before, f) != after.get(f)]
        if fields:
            changed_days.append(weekday)
            changed_fields.update(fields)
    WorkingHours.objects.filter(therapist=therapist).delete()
    WorkingHours.objects.bulk_create(
        WorkingHours(therapist=therapist, weekday=weekday, **times)
        for weekday, times in sorted(week.items())
        if times is not None
    )
    record(
        actor=actor.user,
        practice=therapist.practice,
        action=AuditAction.CHANGE,
        subject_type="working_hours",
        subject_public_id=therapist.public_id,
        request=request,
        fields=sorted(changed_fields),
        weekdays=changed_days,
    )
    return sorted(changed_fields)


@transaction.atomic
def add_day_change(*, therapist, date, start, end, actor, request=None) -> DayOverride:
    """Other hours on one date, or (no times) a day off."""
    change = DayOverride.objects.create(therapist=therapist, date=date, start=start, end=end)
    record(
        actor=actor.user,
        practice=therapist.practice,
        action=AuditAction.CREATE,
        subject_type="day_change",
        subject_public_id=change.public_id,
        request=request,
        fields=sorted(f for f in ("date", "start", "end") if getattr(change, f) is not None),
        therapist=str(therapist.public_id),
    )
    return change


@transaction.atomic
def remove_day_change(*, change: DayOverride, actor, request=None) -> None:
    record(
        actor=actor.user,
        practice=change.therapist.practice,
        action=AuditAction.CHANGE,
        subject_type="day_change",
        subject_public_id=change.public_id,
        request=request,
        change="removed",
        therapist=str(change.therapist.public_id),
    )
    change.delete()


@transaction.atomic
def add_time_off(*, therapist, start, end, reason, actor, request=None) -> TimeOff:
    """A block away, given as aware datetimes; stored in UTC."""
    block = TimeOff.objects.create(therapist=therapist, start=start, end=end, reason=reason)
    record(
        actor=actor.user,
        practice=therapist.practice,
        action=AuditAction.CREATE,
        subject_type="time_off",
        subject_public_id=block.public_id,
        request=request,
        fields=["start", "end", *(["reason"] if reason else [])],
        therapist=str(therapist.public_id),
    )
    return block


@transaction.atomic
def remove_time_off(*, block: TimeOff, actor, request=None) -> None:
    record(
        actor=actor.user,
        practice=block.therapist.practice,
        action=AuditAction.CHANGE,
        subject_type="time_off",
        subject_public_id=block.public_id,
        request=request,
        change="removed",
        therapist=str(block.therapist.public_id),
    )
    block.delete()


@transaction.atomic
def save_booking_rules(*, rules: BookingSettings, changed, actor, request=None) -> BookingSettings:
    creating = rules.pk is None
    rules.save()
    record(
        actor=actor.user,
        practice=rules.practice,
        action=AuditAction.CREATE if creating else AuditAction.CHANGE,
        subject_type="booking_rules",
        subject_public_id=rules.practice.public_id,
        request=request,
        fields=sorted(changed),
    )
    return rules
