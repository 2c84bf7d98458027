"""Calendar feeds: a secret, revocable address per therapist serving iCalendar.

The feed carries times, the service and the client's first name and initial: enough to plan a day
in a phone's calendar, nothing from the clinical record.
"""

import hashlib
import secrets
from datetime import timedelta

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from icalendar import Calendar, Event

from bodymap.access import staff_required, treats_clients
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.booking.models import Appointment, AppointmentStatus, CalendarFeed

PAST_DAYS, FUTURE_DAYS = 30, 180


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_feed(therapist, *, request=None) -> str:
    """A new feed address for `therapist`; any earlier one stops working. Returns the raw token."""
    now = timezone.now()
    CalendarFeed.objects.filter(therapist=therapist, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(therapist=therapist, token_hash=_hash(token))
    record(
        actor=therapist.user,
        practice=therapist.practice,
        action=AuditAction.CREATE,
        subject_type="calendar_feed",
        request=request,
        feed=feed.pk,
    )
    return token


@transaction.atomic
def revoke_feeds(therapist, *, request=None) -> int:
    count = CalendarFeed.objects.filter(therapist=therapist, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    record(
        actor=therapist.user,
        practice=therapist.practice,
        action=AuditAction.CHANGE,
        subject_type="calendar_feed",
        request=request,
        fields=["revoked_at"],
    )
    return count


def feed_ics(therapist) -> bytes:
    now = timezone.now()
    cal = Calendar()
    cal.add("prodid", "-//Bodymap//Calendar feed//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{therapist.practice.name} – {therapist.display_name}")
    cal.add("x-wr-timezone", therapist.practice.timezone)
    appointments = (
        Appointment.objects.filter(therapist=therapist)
        .holding_time()
        .between(now - timedelta(days=PAST_DAYS), now + timedelta(days=FUTURE_DAYS))
        .select_related("client")
    )
    for appointment in appointments:
        client = appointment.client
        who = f"{client.preferred_name or client.first_name} {client.last_name[:1]}.".strip()
        event = Event()
        event.add("uid", f"{appointment.public_id}@bodymap")
        event.add("dtstamp", now)
        event.add("dtstart", appointment.start)
        event.add("dtend", appointment.end)
        event.add("summary", f"{who} – {appointment.service_name or 'Appointment'}")
        if appointment.status == AppointmentStatus.HELD:
            event.add("status", "TENTATIVE")
        else:
            event.add("status", "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()


def calendar_feed(request, token):
    feed = (
        CalendarFeed.objects.select_related("therapist__practice", "therapist__user")
        .filter(token_hash=_hash(token), revoked_at__isnull=True, therapist__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    response = HttpResponse(feed_ics(feed.therapist), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="bodymap.ics"'
    return response


@staff_required
@require_http_methods(["GET", "POST"])
def feed_settings(request):
    """A treating member of staff makes, renews or revokes the address of their own feed."""
    membership = request.membership
    if not treats_clients(membership):
        raise Http404
    url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            revoke_feeds(membership, request=request)
            messages.success(request, _("The feed address no longer works."))
            return redirect("calendar:feed")
        token = issue_feed(membership, request=request)
        url = request.build_absolute_uri(reverse("feeds:calendar", args=[token]))
    live = CalendarFeed.objects.filter(therapist=membership, revoked_at__isnull=True).first()
    return render(request, "booking/feed.html", {"url": url, "live": live})
