from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bodymap import knowledge
from bodymap.access import (
    appointments_for_client,
    client_user_required,
    may_see_health_record_in_portal,
    may_sign_consent_in_portal,
)
from bodymap.accounts.branding import named_practice
from bodymap.audit.log import record_read
from bodymap.audit.models import AuditAction
from bodymap.background import snapshot
from bodymap.booking.models import WaitlistStatus
from bodymap.portal.actions import sign_in_with_link
from bodymap.portal.forms import PortalLinkForm
from bodymap.portal.tasks import send_portal_link_later
from bodymap.throttle import TOO_MANY_REQUESTS, sign_in_throttled
from bodymap.timezones import zone_label


@require_http_methods(["GET", "POST"])
def portal_login(request):
    form = PortalLinkForm(request.POST or None)
    # Shared by every practice; a link from one clinic's pages shows that clinic's face.
    practice = named_practice(request)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if sign_in_throttled(request, "portal_link", email):
            form.add_error(None, TOO_MANY_REQUESTS)
            return render(request, "portal/login.html", {"form": form, "practice": practice}, status=429)
        send_portal_link_later.enqueue(email=email, **snapshot(request))
        return render(request, "portal/link_sent.html", {"email": email, "practice": practice})
    return render(request, "portal/login.html", {"form": form, "practice": practice})


@require_http_methods(["GET", "POST"])
def portal_link(request, token):
    # GET only shows a button: mail scanners that follow links must not use up the link.
    if request.method == "POST":
        if sign_in_with_link(token=token, request=request):
            return redirect("portal:home")
        return render(request, "portal/link_invalid.html", {"form": PortalLinkForm()}, status=410)
    return render(request, "portal/link_confirm.html")


@client_user_required
def portal_home(request):
    client = request.portal_client
    now = timezone.now()
    appointments = list(appointments_for_client(client).select_related("therapist__user"))
    record_read(
        request,
        practice=client.practice,
        action=AuditAction.VIEW,
        subject_type="client",
        subject_public_id=client.public_id,
        via="portal",
    )
    return render(
        request,
        "portal/home.html",
        {
            "client": client,
            "family": request.portal_family,
            "signs_own_consent": may_sign_consent_in_portal(request.user, client),
            "intake": client.intakes.order_by("-created_at", "-id").first(),
            "upcoming": [a for a in appointments if a.start >= now and a.status == "booked"],
            "past": [a for a in appointments if a.start < now][::-1][:10],
            "waiting": client.waitlist_entries.filter(
                status__in=(WaitlistStatus.WAITING, WaitlistStatus.OFFERED)
            ).select_related("service", "therapist__user"),
            "now": now,
            "tz_name": zone_label(timezone.get_current_timezone_name()),
        },
    )


def _own_consent(request, client):
    """An adult's consent is theirs to give or withdraw: another member of the family cannot."""
    return render(request, "portal/consent_own.html", {"client": client}, status=403)


@client_user_required
def portal_consent(request):
    """The client's standing consent, region by region, with a way to withdraw each one."""
    from bodymap.consent.state import consent_for

    client = request.portal_client
    if not may_see_health_record_in_portal(request.user, client):
        return _own_consent(request, client)
    consents = consent_for(client)
    record_read(
        request,
        practice=client.practice,
        action=AuditAction.VIEW,
        subject_type="consent",
        subject_public_id=client.public_id,
        via="portal",
    )
    names = {r["id"]: r["name"] for r in knowledge.regions()}
    rows = [{"region": region, "name": names[region], "consent": c} for region, c in consents.items()]
    return render(request, "portal/consent.html", {"client": client, "rows": rows})


@client_user_required
@require_http_methods(["GET", "POST"])
def change_consent(request, region):
    """Give or change consent for one region, reading the whole explanation and signing it, without
    redoing the intake."""
    from bodymap.consent.actions import change_consent as record_change
    from bodymap.consent.explain import explanation_for
    from bodymap.consent.forms import RegionConsentForm
    from bodymap.consent.state import consent_for

    client = request.portal_client
    if not may_sign_consent_in_portal(request.user, client):
        return _own_consent(request, client)
    current = consent_for(client).get(region)
    if current is None:
        raise Http404
    intake = client.intakes.latest_signed()
    complaints = (intake.contract or {}).get("complaints", []) if intake else []
    item = explanation_for(region, complaints)
    form = RegionConsentForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        record_change(
            client=client,
            region=region,
            decision=form.cleaned_data["decision"],
            explanation=item["text"],
            signature=form.cleaned_data["signature"],
            request=request,
            guardian=form.guardian,
        )
        messages.success(
            request, _("Your decision for the %(region)s is recorded.") % {"region": item["name"]}
        )
        return redirect("portal:consent")
    record_read(
        request,
        practice=client.practice,
        action=AuditAction.VIEW,
        subject_type="consent",
        subject_public_id=client.public_id,
        via="portal",
        region=region,
    )
    return render(
        request,
        "portal/consent_change.html",
        {"client": client, "item": item, "form": form, "current": current},
    )


@client_user_required
@require_POST
def withdraw(request, region):
    from bodymap.consent.actions import withdraw_consent
    from bodymap.consent.state import consent_for

    client = request.portal_client
    if not may_sign_consent_in_portal(request.user, client):
        return _own_consent(request, client)
    current = consent_for(client).get(region)
    if current is None:
        raise Http404
    if current.allows_work:
        withdraw_consent(client=client, region=region, request=request, actor=request.user)
        names = {r["id"]: r["name"] for r in knowledge.regions()}
        messages.success(
            request,
            _(
                "You have withdrawn your consent for the %(region)s. Your therapist will "
                "not work there unless you give it again."
            )
            % {"region": names[region]},
        )
    return redirect("portal:consent")


@client_user_required
def progress(request):
    """The client's own outcomes: pain and function over their sessions, in plain words."""
    from bodymap.notes.outcomes_view import series_for

    client = request.portal_client
    if not may_see_health_record_in_portal(request.user, client):
        return _own_consent(request, client)
    record_read(
        request,
        practice=client.practice,
        action=AuditAction.VIEW,
        subject_type="outcomes",
        subject_public_id=client.public_id,
        via="portal",
    )
    return render(request, "portal/progress.html", {"client": client, "series": series_for(client)})


@client_user_required
def progress_chart(request, kind, key):
    from bodymap.notes.outcomes_view import chart_response

    if not may_see_health_record_in_portal(request.user, request.portal_client):
        raise Http404
    return chart_response(request, request.portal_client, kind, key, via="portal")
