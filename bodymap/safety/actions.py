"""Writes of safety alerts: raised when a signed intake needs a doctor first, closed by a review.
Each is audited in its own transaction; the practice is emailed once the transaction commits."""

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from bodymap.access import safety_alert_recipients
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.booking.links import absolute
from bodymap.safety.guidance import REFERRAL_DECISIONS
from bodymap.safety.models import SafetyAlert, SafetyReview, Urgency


class AlreadyReviewed(Exception):
    pass


@transaction.atomic
def raise_alert(*, intake, plan: dict, request=None, actor=None, actor_label=None) -> SafetyAlert | None:
    """An open alert for the intake when its plan refers the client on, and an email to the owner
    and the client's therapists. The email carries a link only, never a health detail."""
    if plan.get("decision") not in REFERRAL_DECISIONS:
        return None
    urgency = Urgency.EMERGENCY if plan["decision"] == "refer_emergency" else Urgency.CLEARANCE
    alert = SafetyAlert.objects.create(
        practice=intake.practice,
        client=intake.client,
        intake=intake,
        urgency=urgency,
        referrals=plan.get("referrals", []),
    )
    record(
        actor=actor,
        actor_label=actor_label,
        practice=intake.practice,
        action=AuditAction.CREATE,
        subject_type="safety_alert",
        subject_public_id=alert.public_id,
        request=request,
        client=str(intake.client.public_id),
        urgency=urgency,
        flags=sorted({r.get("flag", "") for r in alert.referrals}),
    )
    _email_practice(alert, request)
    return alert


def _email_practice(alert, request):
    recipients = [m.user.email for m in safety_alert_recipients(alert.client) if m.user.email]
    if not recipients:
        return
    context = {
        "alert": alert,
        "practice": alert.practice,
        "url": absolute(reverse("safety:alert", args=[alert.public_id]), request),
    }
    with translation.override("en"):
        subject = render_to_string("safety/email/alert_subject.txt", context).strip()
        body = render_to_string("safety/email/alert_body.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients))


@transaction.atomic
def review_alert(*, alert, outcome, note, request) -> SafetyReview:
    """Record what was done about an alert; this acknowledges it for everyone."""
    locked = SafetyAlert.objects.select_for_update().get(pk=alert.pk)
    if SafetyReview.objects.filter(alert=locked).exists():
        raise AlreadyReviewed
    review = SafetyReview.objects.create(alert=locked, outcome=outcome, note=note, recorded_by=request.user)
    record(
        actor=request.user,
        practice=locked.practice,
        action=AuditAction.CHANGE,
        subject_type="safety_alert",
        subject_public_id=locked.public_id,
        request=request,
        client=str(locked.client.public_id),
        reviewed=True,
        outcome=outcome,
    )
    return review
