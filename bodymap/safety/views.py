from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bodymap.access import get_safety_alert_for_user, staff_required
from bodymap.audit.log import record_read
from bodymap.audit.models import AuditAction
from bodymap.safety.actions import AlreadyReviewed, review_alert
from bodymap.safety.forms import ReviewForm
from bodymap.safety.models import SafetyReview


def _next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@staff_required
@require_http_methods(["GET", "POST"])
def alert_detail(request, public_id):
    """One red-flag alert: what the intake raised, and recording what was done about it."""
    alert = get_safety_alert_for_user(request, public_id)
    reviews = list(SafetyReview.objects.filter(alert=alert).select_related("recorded_by"))
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and reviews:
        messages.info(request, _("What was done is already recorded."))
        return redirect(_next(request, alert_url(alert)))
    if request.method == "POST" and form.is_valid():
        try:
            review_alert(
                alert=alert,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except AlreadyReviewed:
            messages.info(request, _("Someone else recorded what was done a moment ago."))
        else:
            messages.success(request, _("Recorded. The alert is closed for everyone in the practice."))
        return redirect(_next(request, alert_url(alert)))
    with transaction.atomic():
        record_read(
            request,
            practice=alert.practice,
            subject_type="safety_alert",
            subject_public_id=alert.public_id,
            action=AuditAction.VIEW,
        )
    return render(
        request,
        "safety/alert.html",
        {
            "alert": alert,
            "client": alert.client,
            "reviews": reviews,
            "form": form,
            "next": _next(request, ""),
        },
    )


def alert_url(alert):
    from django.urls import reverse

    return reverse("safety:alert", args=[alert.public_id])
