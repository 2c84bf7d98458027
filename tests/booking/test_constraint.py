"""The database itself refuses a double booking, whatever the code in front of it does."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from bodymap.booking.models import Appointment, AppointmentStatus
from tests.booking.conftest import at, next_weekday


def row(cast, start, minutes=60, status=AppointmentStatus.BOOKED, holds=None, therapist=None):
    return Appointment(
        practice=cast.practice,
        client=cast.client,
        therapist=therapist or cast.therapist,
        start=start,
        end=start + timedelta(minutes=minutes),
        holds_until=start + timedelta(minutes=holds) if holds else None,
        status=status,
    )


def test_it_refuses_an_overlapping_insert_that_skips_every_check(cast):
    start = at(next_weekday(2), 10)
    Appointment.objects.bulk_create([row(cast, start)])
    with pytest.raises(IntegrityError, match="appointment_therapist_no_overlap"), transaction.atomic():
        Appointment.objects.bulk_create([row(cast, start + timedelta(minutes=59))])


def test_it_counts_the_turnover_buffer_as_held_time(cast):
    start = at(next_weekday(2), 10)
    Appointment.objects.bulk_create([row(cast, start, holds=75)])
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.bulk_create([row(cast, start + timedelta(minutes=70))])
    Appointment.objects.bulk_create([row(cast, start + timedelta(minutes=75))])


def test_it_refuses_an_update_into_another_appointment(cast):
    start = at(next_weekday(2), 10)
    Appointment.objects.bulk_create([row(cast, start), row(cast, start + timedelta(hours=2))])
    later = Appointment.objects.get(start=start + timedelta(hours=2))
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.filter(pk=later.pk).update(
            start=start + timedelta(minutes=30), end=start + timedelta(minutes=90)
        )


@pytest.mark.parametrize("status", [s for s in AppointmentStatus if s != AppointmentStatus.CANCELLED])
def test_it_holds_the_slot_in_every_status_but_cancelled(cast, status):
    start = at(next_weekday(2), 10)
    Appointment.objects.bulk_create([row(cast, start, status=status)])
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.bulk_create([row(cast, start)])


def test_it_allows_back_to_back_cancelled_and_other_therapists(cast):
    start = at(next_weekday(2), 10)
    Appointment.objects.bulk_create(
        [
            row(cast, start),
            row(cast, start + timedelta(hours=1)),  # starts as the first ends
            row(cast, start, status=AppointmentStatus.CANCELLED),
            row(cast, start, therapist=cast.other_therapist),
        ]
    )
    assert Appointment.objects.filter(start__gte=start).count() == 4
    # Reviving a cancelled appointment into a taken slot is refused too.
    cancelled = Appointment.objects.get(start=start, status=AppointmentStatus.CANCELLED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.filter(pk=cancelled.pk).update(status=AppointmentStatus.BOOKED)
