"""What a client reads when their answers raise a red flag: plain words that say what to do now."""

from django.utils.translation import gettext as _

REFERRAL_DECISIONS = ("refer_emergency", "medical_clearance")


def guidance_for(plan_or_referrals) -> dict | None:
    """The message for the client from a plan (or its referrals), or None when nothing was raised.
    Any emergency wins over a clearance, as in the planner."""
    referrals = (
        plan_or_referrals.get("referrals", []) if isinstance(plan_or_referrals, dict) else plan_or_referrals
    )
    referrals = list(referrals or [])
    if not referrals:
        return None
    emergency = any(r.get("urgency") == "emergency" for r in referrals)
    if emergency:
        headline = _("Please get medical help now")
        what_to_do = _(
            "Go to a hospital emergency department now, or call emergency services. Do not wait for "
            "your massage appointment. What you told us can be a sign of a problem that needs a doctor "
            "today; often it turns out to be something else, but only a doctor can tell."
        )
    else:
        headline = _("Please see a doctor before your massage")
        what_to_do = _(
            "Please have a medical check before your visit and tell the doctor what you told us. Your "
            "therapist has been told and will contact you; massage can wait until a doctor has seen you."
        )
    messages = []
    for referral in referrals:
        if referral.get("message") and referral["message"] not in messages:
            messages.append(referral["message"])
    return {
        "urgency": "emergency" if emergency else "clearance",
        "headline": headline,
        "what_to_do": what_to_do,
        "messages": messages,
    }
