"""Signed, expiring links to a client's intake form, sent by staff or with a booking.

A link is good for one intake: once an intake is submitted after the link was made, the link reads
nothing more (the about step would show the contact details on file). Staff never see links; they
are mailed to the client, or made on the spot for the portal and the in-person intake.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from bodymap.clients.models import Client

SALT = "bodymap.intake.link"


def make_token(client: Client) -> str:
    issued = timezone.now().timestamp()
    return signing.dumps({"c": str(client.public_id), "t": issued}, salt=SALT, compress=True)


def client_for_token(token: str, *, used_ok: bool = False) -> Client | None:
    """The active client a token was made for, or None when it is forged, altered, expired, or used
    (an intake was submitted since it was made); `used_ok` accepts a used link, for the thank-you
    page that shows nothing but the client's first name."""
    max_age = timedelta(days=settings.BODYMAP_INTAKE_LINK_DAYS)
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), str):
        return None
    client = Client.objects.select_related("practice").filter(public_id=data["c"], is_active=True).first()
    if client is None or used_ok:
        return client
    # Links made before links were single-use carry no time: they count as made at the start.
    issued = data.get("t") if isinstance(data.get("t"), int | float) else 0
    if client.intakes.filter(submitted_at__gte=datetime.fromtimestamp(issued, tz=UTC)).exists():
        return None
    return client


def intake_path(client: Client) -> str:
    """The path of the client's intake form; prefix it with the site's address for an email."""
    return reverse("intake:start", args=[make_token(client)])


def has_submitted_intake(client: Client) -> bool:
    return client.intakes.submitted().exists()
