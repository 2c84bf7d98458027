"""One appointment on the staff calendar: its page, moving it, and checking in or completing it.

Front desk may do all of it; the page shows names, services and times, nothing clinical. The grid
itself, desk booking, cancelling and no-shows live in booking/staff.
"""

from datetime import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bodymap.access import calendar_therapists_for, get_calendar_appointment_for_user, staff_required
from bodymap.booking import actions
from bodymap.booking.models import AppointmentStatus
from bodymap.booking.staff import desk
from bodymap.booking.staff.desk import Length
from bodymap.booking.staff.forms import MoveForm
from bodymap.booking.staff.views import safe_next
from bodymap.safety.queries import open_alert_for
from bodymap.timezones import zone_label


def _move_form(request, appointment, data=None):
    local_start = timezone.localtime(appointment.start)
    return MoveForm(
        data,
        therapists=calendar_therapists_for(request.membership),
        initial={
            "therapist": appointment.therapist.public_id,
            "date": local_start.date(),
            "time": local_start.time(),
        },
    )


@staff_required
def appointment_detail(request, public_id):
    appointment = get_calendar_appointment_for_user(request, public_id)
    return _detail(request, appointment, _move_form(request, appointment))


def _detail(request, appointment, move_form, status=200, *, warning=None, next_free=()):
    return render(
        request,
        "booking/appointment.html",
        {
            "appointment": appointment,
            "needs_review": open_alert_for(appointment.client) is not None,
            "move_form": move_form,
            "can_change": appointment.is_active_booking,
            "warning": warning,
            "next_free": next_free,
            "tz_name": zone_label(timezone.get_current_timezone_name()),
            "statuses": [
                (AppointmentStatus.CHECKED_IN, _("Check in")),
                (AppointmentStatus.COMPLETED, _("Mark completed")),
            ],
        },
        status=status,
    )


@staff_required
@require_POST
def appointment_move(request, public_id):
    """Move to another time or therapist: from the Move form, or dropped on the grid (which sends
    the same form with `next`, the grid to return to). Outside working hours only with a reason."""
    appointment = get_calendar_appointment_for_user(request, public_id)
    form = _move_form(request, appointment, request.POST)
    warning, next_free = None, []
    back = safe_next(request, "")
    if form.is_valid():
        data = form.cleaned_data
        start = timezone.make_aware(datetime.combine(data["date"], data["time"]))
        therapist = data["therapist"]
        length = Length(appointment.end - appointment.start, appointment.blocked_until - appointment.end)
        warning = desk.outside_hours(therapist, start, start + length.duration)
        if warning and not data["outside_hours_reason"]:
            form.add_error("outside_hours_reason", _("Give a reason to move it outside working hours."))
        else:
            try:
                actions.move_appointment(
                    appointment=appointment,
                    start=start,
                    therapist=therapist,
                    actor=request.membership,
                    request=request,
                    outside_hours_reason=data["outside_hours_reason"] if warning else None,
                )
            except actions.SlotTaken:
                clash = desk.describe_clash(
                    request.membership,
                    therapist,
                    start,
                    start + length.duration + length.buffer,
                    ignore=appointment,
                )
                next_free = desk.next_free_times(
                    appointment.practice, length, therapist, start, ignore=appointment
                )
                if back:  # dropped on the grid: stay on the grid and say why not
                    times = ", ".join(timezone.localtime(s.start).strftime("%a %H:%M") for s in next_free)
                    messages.error(request, clash + (" " + _("Next free: %s.") % times if times else ""))
                    return redirect(back)
                form.add_error(None, clash)
            except actions.NotBookable:
                form.add_error(None, _("Only a booked or checked-in appointment can be moved."))
            else:
                messages.success(request, _("Appointment moved."))
                return redirect(back or "calendar:appointment", **({} if back else {"public_id": public_id}))
    return _detail(request, appointment, form, status=400, warning=warning, next_free=next_free)


@staff_required
@require_POST
def appointment_status(request, public_id):
    """Check in or complete. A no-show asks for confirmation and a reason (booking/staff)."""
    appointment = get_calendar_appointment_for_user(request, public_id)
    status = request.POST.get("status", "")
    if status not in (AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED):
        raise Http404
    try:
        actions.set_status(appointment=appointment, status=status, actor=request.membership, request=request)
    except actions.NotBookable:
        raise Http404 from None
    messages.success(request, _("Status changed."))
    return redirect("calendar:appointment", public_id=appointment.public_id)
