"""Reading alerts for pages: which clients need review, without a query per row."""

from django.db.models import Exists, OuterRef

from bodymap.safety.models import SafetyAlert


def with_review_flag(appointments):
    """Appointments annotated with `needs_review`: their client has an unreviewed red-flag alert."""
    return appointments.annotate(
        needs_review=Exists(SafetyAlert.objects.open().filter(client=OuterRef("client")))
    )


def open_alert_for(client) -> SafetyAlert | None:
    return SafetyAlert.objects.open().filter(client=client).order_by("-created_at", "-id").first()


def latest_alert_for(client) -> SafetyAlert | None:
    return SafetyAlert.objects.filter(client=client).order_by("-created_at", "-id").first()
