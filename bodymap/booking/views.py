from datetime import datetime, time, timedelta

from django.shortcuts import render
from django.utils import timezone

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
from bodymap.timezones import zone_label


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


@staff_required
def dashboard(request):
    """Today's and the coming week's appointments, in the practice's time zone."""
    membership = request.membership
    today = timezone.localdate()
    # Therapists see their own diary; the owner and front desk may widen it to the whole practice.
    can_widen = sees_whole_practice(membership)
    everyone = can_widen and (request.GET.get("who") == "all" or not treats_clients(membership))
    appointments = appointments_for(membership).holding_time()
    if not everyone:
        appointments = appointments.filter(therapist=membership)
    appointments = (
        with_review_flag(appointments)
        .select_related("client", "therapist__user")
        .between(_day_start(today), _day_start(today + timedelta(days=8)))
    )
    tomorrow = _day_start(today + timedelta(days=1))
    today_list, week = [], []
    for appointment in appointments:
        (today_list if appointment.start < tomorrow else week).append(appointment)
    safety_alerts = list(safety_alerts_for(membership).open().select_related("client"))
    if safety_alerts:  # who was alerted, and when they saw it, is part of the record
        record_read(
            request,
            practice=membership.practice,
            subject_type="safety_alert",
            action=AuditAction.LIST,
            shown=[str(a.public_id) for a in safety_alerts],
        )
    days = {}
    for appointment in week:
        days.setdefault(timezone.localtime(appointment.start).date(), []).append(appointment)
    return render(
        request,
        "booking/dashboard.html",
        {
            "today": today,
            "today_list": today_list,
            "days": sorted(days.items()),
            "everyone": everyone,
            "can_widen": can_widen and treats_clients(membership),
            "tz_name": zone_label(timezone.get_current_timezone_name()),
            "session_links": opens_sessions(membership),
            "overdue_notes": list(overdue_notes(membership)) if treats_clients(membership) else [],
            # Open red-flag alerts stay here for the owner and the client's therapists until reviewed.
            "safety_alerts": safety_alerts,
        },
    )
