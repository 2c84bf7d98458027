"""A bookable practice on top of the cast: a service, weekly hours with a lunch break, profiles."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone

from bodymap.booking.models import BookingSettings, Service, TherapistProfile, WorkingHours

TORONTO = ZoneInfo("America/Toronto")


@dataclass
class Booking:
    cast: object
    service: Service
    short: Service
    rules: BookingSettings

    @property
    def practice(self):
        return self.cast.practice


def next_weekday(weekday: int, weeks: int = 1):
    """A local date `weeks` weeks ahead on `weekday` (0 = Monday), far enough for any notice."""
    today = timezone.now().astimezone(TORONTO).date()
    return today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=TORONTO)


def make_bookable(cast) -> Booking:
    rules = BookingSettings.objects.create(
        practice=cast.practice, min_notice_minutes=120, horizon_days=60, slot_step_minutes=30
    )
    for member, slug in ((cast.therapist, "terry"), (cast.other_therapist, "olive"), (cast.owner, "owen")):
        TherapistProfile.objects.create(membership=member, practice=cast.practice, slug=slug)
    for member in (cast.therapist, cast.other_therapist):
        for weekday in range(5):
            WorkingHours.objects.create(
                therapist=member,
                weekday=weekday,
                start=time(9),
                end=time(17),
                break_start=time(12),
                break_end=time(13),
            )
    service = Service.objects.create(
        practice=cast.practice,
        name="Massage therapy, 60 minutes",
        slug="massage-60",
        minutes=60,
        buffer_after_minutes=15,
        price=Decimal("110.00"),
    )
    service.therapists.set([cast.therapist, cast.other_therapist])
    short = Service.objects.create(
        practice=cast.practice,
        name="Massage therapy, 30 minutes",
        slug="massage-30",
        minutes=30,
        price=Decimal("65"),
    )
    short.therapists.set([cast.therapist])
    return Booking(cast, service, short, rules)


@pytest.fixture
def booking(cast):
    return make_bookable(cast)


@pytest.fixture(autouse=True)
def _booking_settings(settings):
    # The cast has two practices: the public pages and the API serve this one unless told otherwise.
    settings.BODYMAP_BOOKING_PRACTICE = "breathe"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    cache.clear()
    yield
    cache.clear()
