"""Things the public booking page and the public API share: which practice, rate limiting."""

from zoneinfo import ZoneInfo

from django.conf import settings

from bodymap.accounts.models import Membership, Practice
from bodymap.booking.availability import rules_for
from bodymap.booking.models import Service
from bodymap.throttle import address_over_limit


def public_practice(slug: str | None = None) -> Practice | None:
    """The practice a public request is about: the one named, else BODYMAP_BOOKING_PRACTICE, else
    the only practice there is. None when that is unclear or the practice does not book online."""
    slug = slug or settings.BODYMAP_BOOKING_PRACTICE
    if slug:
        practice = Practice.objects.filter(slug=slug).first()
    else:
        practices = list(Practice.objects.order_by("id")[:2])
        practice = practices[0] if len(practices) == 1 else None
    if practice is None or not rules_for(practice).online_booking:
        return None
    return practice


def public_services(practice):
    return Service.objects.filter(practice=practice, is_active=True)


def public_therapists(practice):
    return (
        Membership.objects.therapists()
        .filter(practice=practice, booking_profile__bookable_online=True)
        .select_related("user", "booking_profile")
        .order_by("created_at", "id")
    )


def therapist_by_slug(practice, slug):
    return public_therapists(practice).filter(booking_profile__slug=slug).first()


def local(dt, practice):
    return dt.astimezone(ZoneInfo(practice.timezone))


def rate_limited(request, scope="booking") -> bool:
    """Count one booking attempt from the caller's address; True once it is over the limit."""
    return address_over_limit(
        request,
        scope,
        limit=settings.BODYMAP_BOOKING_RATE_LIMIT,
        window=settings.BODYMAP_BOOKING_RATE_WINDOW_SECONDS,
    )
