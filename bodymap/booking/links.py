"""Signed links for clients: manage a booking, take up a waitlist offer; and absolute addresses."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from bodymap.booking.models import Appointment, WaitlistEntry

MANAGE_SALT = "bodymap.booking.manage"
OFFER_SALT = "bodymap.booking.offer"


def absolute(path: str, request=None) -> str:
    """A full address for an email: from the request when there is one, else BODYMAP_SITE_URL."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.BODYMAP_SITE_URL + path


def manage_token(appointment: Appointment) -> str:
    return signing.dumps({"a": str(appointment.public_id)}, salt=MANAGE_SALT, compress=True)


def manage_path(appointment: Appointment) -> str:
    return reverse("booking_public:manage", args=[manage_token(appointment)])


def appointment_for_manage_token(token: str) -> Appointment | None:
    # No expiry: the link is only good for what the cancellation window still allows.
    try:
        data = signing.loads(token, salt=MANAGE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), str):
        return None
    return (
        Appointment.objects.select_related("practice", "client", "service", "therapist__user")
        .filter(public_id=data["a"])
        .first()
    )


def offer_path(entry: WaitlistEntry, appointment: Appointment) -> str:
    token = signing.dumps({"w": str(entry.public_id), "a": str(appointment.public_id)}, salt=OFFER_SALT)
    return reverse("booking_public:offer", args=[token])


def offer_for_token(token: str) -> tuple[WaitlistEntry, Appointment] | None:
    try:
        data = signing.loads(token, salt=OFFER_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("w", "a")):
        return None
    entry = (
        WaitlistEntry.objects.select_related("client", "service", "practice")
        .filter(public_id=data["w"])
        .first()
    )
    appointment = (
        Appointment.objects.select_related("practice", "client", "service", "therapist__user")
        .filter(public_id=data["a"])
        .first()
    )
    if entry is None or appointment is None or entry.client_id != appointment.client_id:
        return None
    return entry, appointment
