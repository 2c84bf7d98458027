from datetime import datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from bodymap import badinput
from bodymap.access import (
    appointments_for,
    opens_sessions,
    safety_alerts_for,
    sees_whole_practice,
    staff_required,
    treats_clients,
)
from bodymap.audit.log import record_read
from bodymap.audit.models import AuditAction
from bodymap.notes.queries import overdue_notes
from bodymap.safety.queries import with_review_flag


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


# A whole practice books hundreds of appointments a day: the dashboard shows this many at a time and
# loads the rest, and each coming day, on request (htmx), so the page stays fast at thirty therapists.
PAGE_SIZE = 40


def _whose(request):
    """(appointments the acting member may list on the dashboard, whether that is everyone's)."""
    membership = request.membership
    # Therapists see their own diary; the owner and front desk may widen it to the whole practice.
    can_widen = sees_whole_practice(membership)
    everyone = can_widen and (request.GET.get("who") == "all" or not treats_clients(membership))
    appointments = appointments_for(membership).holding_time()
    if not everyone:
        appointments = appointments.filter(therapist=membership)
    return appointments, everyone


def _listed(appointments):
    return with_review_flag(appointments).select_related("client", "therapist__user")


def _counts_by_day(appointments, first, last):
    """How many appointments each local day from first to last holds, in one query."""
    tz = timezone.get_current_timezone()
    rows = (
        appointments.between(_day_start(first), _day_start(last + timedelta(days=1)))
        .annotate(day=TruncDate("start", tzinfo=tz))
        .order_by()
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    return dict(rows)


def _by_day(appointments):
    grouped = {}
    for appointment in appointments:
        grouped.setdefault(timezone.localtime(appointment.start).date(), []).append(appointment)
    return grouped


@staff_required
def dashboard(request):
    """Today's and the coming week's appointments, in the practice's time zone."""
    membership = request.membership
    today = timezone.localdate()
    appointments, everyone = _whose(request)
    end = today + timedelta(days=8)
    # One query answers a quiet week; a busy one (a whole clinic) is counted per day instead, and
    # shows today's first page and each coming day on request.
    first_rows = list(_listed(appointments).between(_day_start(today), _day_start(end))[: 2 * PAGE_SIZE + 1])
    if len(first_rows) <= 2 * PAGE_SIZE:
        grouped = _by_day(first_rows)
        today_list = grouped.pop(today, [])
        today_count, more = len(today_list), False
        days = [(d, items, len(items)) for d, items in sorted(grouped.items())]
    else:
        counts = _counts_by_day(appointments, today, end - timedelta(days=1))
        today_count = counts.pop(today, 0)
        today_list = [a for a in first_rows if a.start < _day_start(today + timedelta(days=1))][:PAGE_SIZE]
        more = today_count > len(today_list)
        days = [(d, None, n) for d, n in sorted(counts.items())]
    safety_alerts = list(safety_alerts_for(membership).open().select_related("client"))
    if safety_alerts:  # who was alerted, and when they saw it, is part of the record
        record_read(
            request,
            practice=membership.practice,
            subject_type="safety_alert",
            action=AuditAction.LIST,
            shown=[str(a.public_id) for a in safety_alerts],
        )
    return render(
        request,
        "booking/dashboard.html",
        {
            "today": today,
            "today_list": today_list,
            "today_count": today_count,
            "next_page": 2 if more else None,
            "days": days,
            "everyone": everyone,
            "who": "all" if everyone else "me",
            "can_widen": sees_whole_practice(membership) and treats_clients(membership),
            "tz_name": timezone.get_current_timezone_name(),
            "session_links": opens_sessions(membership),
            "overdue_notes": list(overdue_notes(membership)) if treats_clients(membership) else [],
            # Open red-flag alerts stay here for the owner and the client's therapists until reviewed.
            "safety_alerts": safety_alerts,
        },
    )


@staff_required
def dashboard_day(request):
    """One day of the dashboard, a page at a time: the fragment the dashboard loads with htmx."""
    day = badinput.parse_day(request.GET.get("date"))
    if day is None:
        raise Http404
    appointments, everyone = _whose(request)
    page = Paginator(
        _listed(appointments).between(_day_start(day), _day_start(day + timedelta(days=1))), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "booking/_dashboard_day.html",
        {
            "day": day,
            "appointments": page.object_list,
            "next_page": page.next_page_number() if page.has_next() else None,
            "everyone": everyone,
            "who": "all" if everyone else "me",
            "session_links": opens_sessions(request.membership),
        },
    )
