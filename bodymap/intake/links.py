"""Signed, expiring links to a client's intake form, sent by staff or with a booking."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from bodymap.clients.models import Client

SALT = "bodymap.intake.link"


def make_token(client: Client) -> str:
    return signing.dumps({"c": str(client.public_id)}, salt=SALT, compress=True)


def client_for_token(token: str) -> Client | None:
    """The active client a token was made for, or None when it is forged, altered or expired."""
    max_age = timedelta(days=settings.BODYMAP_INTAKE_LINK_DAYS)
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), str):
        return None
    return Client.objects.select_related("practice").filter(public_id=data["c"], is_active=True).first()


def intake_path(client: Client) -> str:
    """The path of the client's intake form; prefix it with the site's address for an email."""
    return reverse("intake:start", args=[make_token(client)])


def has_submitted_intake(client: Client) -> bool:
    return client.intakes.submitted().exists()
