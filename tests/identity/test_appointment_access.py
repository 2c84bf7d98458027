"""A therapist sees a client through an appointment that is or was really theirs."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from bodymap.booking import actions
from bodymap.booking.models import Appointment, AppointmentStatus


def chart(as_role, role, client):
    return as_role(role).get(reverse("chart:chart", args=[client.public_id])).status_code


def test_it_closes_the_chart_when_the_only_appointment_was_cancelled_before_it_began(as_role, cast):
    assert chart(as_role, "therapist", cast.booked_client) == 200
    actions.cancel_appointment(appointment=cast.appointment, actor=cast.front_desk)
    assert chart(as_role, "therapist", cast.booked_client) == 404
    assert chart(as_role, "owner", cast.booked_client) == 200


def test_it_keeps_the_chart_open_after_a_session_that_took_place(as_role, cast):
    past = timezone.now() - timedelta(days=3)
    Appointment.objects.filter(pk=cast.appointment.pk).update(
        start=past, end=past + timedelta(hours=1), status=AppointmentStatus.COMPLETED
    )
    assert chart(as_role, "therapist", cast.booked_client) == 200


def test_it_keeps_the_chart_open_when_cancelled_after_it_began(as_role, cast):
    began = timezone.now() - timedelta(minutes=20)
    Appointment.objects.filter(pk=cast.appointment.pk).update(
        start=began,
        end=began + timedelta(hours=1),
        status=AppointmentStatus.CANCELLED,
        cancelled_at=timezone.now(),
    )
    assert chart(as_role, "therapist", cast.booked_client) == 200


def test_it_does_not_open_a_chart_through_an_unconfirmed_online_booking(as_role, cast):
    Appointment.objects.filter(pk=cast.appointment.pk).update(booked_online=True, identity_confirmed=False)
    assert chart(as_role, "therapist", cast.booked_client) == 404
