from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from bodymap.access import appointments_for_client, client_user_required
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.portal.actions import send_portal_link, sign_in_with_link
from bodymap.portal.forms import PortalLinkForm


@require_http_methods(["GET", "POST"])
def portal_login(request):
    form = PortalLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        send_portal_link(email=form.cleaned_data["email"], request=request)
        return render(request, "portal/link_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "portal/login.html", {"form": form})


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
    with transaction.atomic():
        record(
            actor=request.user,
            practice=client.practice,
            action=AuditAction.VIEW,
            subject_type="client",
            subject_public_id=client.public_id,
            request=request,
            via="portal",
        )
    return render(
        request,
        "portal/home.html",
        {
            "client": client,
            "upcoming": [a for a in appointments if a.start >= now and a.status == "booked"],
            "past": [a for a in appointments if a.start < now][::-1][:10],
            "tz_name": timezone.get_current_timezone_name(),
        },
    )
