"""The staff calendar: day and week views, and creating, moving, cancelling appointments.

Front desk may do all of it; the calendar shows names, services and times, nothing clinical.
"""

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bodymap import badinput
from bodymap.access import (
    calendar_therapists_for,
    clients_for,
    get_calendar_appointment_for_user,
    staff_required,
    treats_clients,
)
from bodymap.booking import actions
from bodymap.booking.forms import MoveForm, StaffAppointmentForm
from bodymap.booking.models import Appointment, AppointmentStatus, Service, TimeOff
from bodymap.safety.queries import open_alert_for, with_review_flag
from bodymap.timezones import zone_label


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _day_param(request) -> date:
    return badinput.parse_day(request.GET.get("date")) or timezone.localdate()


@staff_required
def calendar(request):
    """A week (Monday first) or one day, for one therapist or the whole practice."""
    membership = request.membership
    therapists = list(calendar_therapists_for(membership))
    view = "day" if request.GET.get("view") == "day" else "week"
    day = _day_param(request)
    first = day if view == "day" else day - timedelta(days=day.weekday())
    length = 1 if view == "day" else 7
    who = request.GET.get("who", "")
    chosen = next((t for t in therapists if str(t.public_id) == who), None)
    if chosen is None and len(therapists) == 1:
        chosen = therapists[0]
    shown = [chosen] if chosen else therapists
    start, end = _midnight(first), _midnight(first + timedelta(days=length))
    appointments = (
        with_review_flag(Appointment.objects.filter(practice=membership.practice, therapist__in=shown))
        .holding_time()
        .between(start, end)
        .select_related("client", "therapist__user", "service")
    )
    time_off = TimeOff.objects.filter(therapist__in=shown, start__lt=end, end__gt=start).select_related(
        "therapist__user"
    )
    days = {first + timedelta(days=i): [] for i in range(length)}
    for item in appointments:
        days.setdefault(timezone.localtime(item.start).date(), []).append(("appointment", item.start, item))
    for block in time_off:
        # Time off spanning several days shows on each of them.
        d = max(first, timezone.localtime(block.start).date())
        while d in days and _midnight(d) < block.end:
            days[d].append(("time_off", max(block.start, _midnight(d)), block))
            d += timedelta(days=1)
    for items in days.values():
        items.sort(key=lambda entry: entry[1])
    step = timedelta(days=length)
    return render(
        request,
        "booking/calendar.html",
        {
            "view": view,
            "days": list(days.items()),
            "first": first,
            "last": first + timedelta(days=length - 1),
            "previous": first - step,
            "next": first + step,
            "today": timezone.localdate(),
            "therapists": therapists,
            "chosen": chosen,
            "who": str(chosen.public_id) if chosen else "all",
            "show_therapist": chosen is None,
            "tz_name": zone_label(timezone.get_current_timezone_name()),
        },
    )


def _form_choices(membership):
    return {
        "clients": clients_for(membership).filter(is_active=True),
        "services": Service.objects.filter(practice=membership.practice, is_active=True),
        "therapists": calendar_therapists_for(membership),
    }


def _combine(day, at):
    return timezone.make_aware(datetime.combine(day, at))


@staff_required
@require_http_methods(["GET", "POST"])
def appointment_new(request):
    membership = request.membership
    initial = {
        "date": _day_param(request),
        "therapist": membership if treats_clients(membership) else None,
    }
    form = StaffAppointmentForm(request.POST or None, initial=initial, **_form_choices(membership))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment, _created = actions.book_appointment(
                practice=membership.practice,
                service=data["service"],
                therapist=data["therapist"],
                start=_combine(data["date"], data["time"]),
                client=data["client"],
                actor=membership,
                request=request,
            )
        except actions.SlotTaken:
            form.add_error("time", _("This time overlaps another appointment or time off of this therapist."))
        else:
            messages.success(request, _("Appointment booked."))
            return redirect("calendar:appointment", public_id=appointment.public_id)
    return render(
        request,
        "booking/appointment_form.html",
        {"form": form, "tz_name": zone_label(timezone.get_current_timezone_name())},
    )


def _move_form(request, appointment, data=None):
    local_start = timezone.localtime(appointment.start)
    return MoveForm(
        data,
        therapists=calendar_therapists_for(request.membership),
        initial={"therapist": appointment.therapist, "date": local_start.date(), "time": local_start.time()},
    )


@staff_required
def appointment_detail(request, public_id):
    appointment = get_calendar_appointment_for_user(request, public_id)
    return _detail(request, appointment, _move_form(request, appointment))


def _detail(request, appointment, move_form, status=200):
    can_change = appointment.status in (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN)
    return render(
        request,
        "booking/appointment.html",
        {
            "appointment": appointment,
            "needs_review": open_alert_for(appointment.client) is not None,
            "move_form": move_form,
            "can_change": can_change,
            "tz_name": zone_label(timezone.get_current_timezone_name()),
            "statuses": [
                (AppointmentStatus.CHECKED_IN, _("Check in")),
                (AppointmentStatus.COMPLETED, _("Mark completed")),
                (AppointmentStatus.NO_SHOW, _("Mark no-show")),
            ],
        },
        status=status,
    )


@staff_required
@require_POST
def appointment_move(request, public_id):
    appointment = get_calendar_appointment_for_user(request, public_id)
    form = _move_form(request, appointment, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.move_appointment(
                appointment=appointment,
                start=_combine(data["date"], data["time"]),
                therapist=data["therapist"],
                actor=request.membership,
                request=request,
            )
        except actions.SlotTaken:
            form.add_error("time", _("This time overlaps another appointment or time off of this therapist."))
        except actions.NotBookable:
            form.add_error(None, _("Only a booked or checked-in appointment can be moved."))
        else:
            messages.success(request, _("Appointment moved."))
            return redirect("calendar:appointment", public_id=appointment.public_id)
    return _detail(request, appointment, form, status=400)


@staff_required
@require_POST
def appointment_cancel(request, public_id):
    appointment = get_calendar_appointment_for_user(request, public_id)
    actions.cancel_appointment(appointment=appointment, actor=request.membership, request=request)
    messages.success(request, _("Appointment cancelled: the time is free again."))
    return redirect("calendar:appointment", public_id=appointment.public_id)


@staff_required
@require_POST
def appointment_status(request, public_id):
    appointment = get_calendar_appointment_for_user(request, public_id)
    try:
        actions.set_status(
            appointment=appointment,
            status=request.POST.get("status", ""),
            actor=request.membership,
            request=request,
        )
    except actions.NotBookable:
        raise Http404 from None
    messages.success(request, _("Status changed."))
    return redirect("calendar:appointment", public_id=appointment.public_id)
