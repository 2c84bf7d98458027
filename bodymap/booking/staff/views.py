"""The staff calendar as a time grid, and booking at the desk.

Every write goes through the booking actions and so through the same database guard as any booking;
a refused time names what it clashes with and offers the next free times.
"""

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bodymap import badinput
from bodymap.access import (
    calendar_therapists_for,
    desk_clients_for,
    get_calendar_appointment_for_user,
    staff_required,
    treats_clients,
)
from bodymap.audit.log import record_read
from bodymap.audit.models import AuditAction
from bodymap.booking import actions
from bodymap.booking.availability import rules_for
from bodymap.booking.models import AppointmentStatus, Service
from bodymap.booking.staff import desk
from bodymap.booking.staff.cells import render_columns
from bodymap.booking.staff.forms import NEW, DeskBookingForm, NewClientForm, ReasonForm
from bodymap.booking.staff.grid import COLOURS, ROW_MINUTES, build_grid
from bodymap.clients.search import search_clients
from bodymap.timezones import zone_label

# Above this many therapists the calendar opens on one day: a week of thirty columns is a wall.
BIG_PRACTICE = 6
PICKER_LIMIT = 8
PICKER_MIN_CHARS = 2


def _day_param(request) -> date:
    return badinput.parse_day(request.GET.get("date")) or timezone.localdate()


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@staff_required
@require_GET
def calendar(request):
    """A day or a week (Monday first) as a grid of therapist columns, for the therapists chosen."""
    membership = request.membership
    therapists = list(calendar_therapists_for(membership))
    colours = {t.pk: i % COLOURS for i, t in enumerate(therapists)}
    wanted = set(request.GET.getlist("who"))
    chosen = [t for t in therapists if str(t.public_id) in wanted]
    shown = chosen or therapists
    default_view = "day" if len(shown) > BIG_PRACTICE else "week"
    view = request.GET.get("view") if request.GET.get("view") in ("day", "week") else default_view
    day = _day_param(request)
    first = day if view == "day" else day - timedelta(days=day.weekday())
    length = 1 if view == "day" else 7
    grid = build_grid(membership, shown, colours, first, length)
    render_columns(grid)
    step = timedelta(days=length)
    who_query = "".join(f"&who={t.public_id}" for t in chosen)
    return render(
        request,
        "booking/staff/calendar.html",
        {
            "view": view,
            "grid": grid,
            "first": first,
            "last": first + timedelta(days=length - 1),
            "previous": first - step,
            "next": first + step,
            "today": timezone.localdate(),
            "therapists": therapists,
            "chosen": chosen,
            "who_query": who_query,
            "step": rules_for(membership.practice).slot_step_minutes,
            "row_minutes": ROW_MINUTES,
            "here": request.get_full_path(),
            "tz_name": zone_label(timezone.get_current_timezone_name()),
        },
    )


def _desk_form(request, data=None):
    membership = request.membership
    therapists = calendar_therapists_for(membership)
    initial = {"date": _day_param(request)}
    chosen = (
        therapists.filter(public_id=request.GET.get("therapist")).first()
        if _is_uuid(request.GET.get("therapist"))
        else None
    )
    if chosen is None and treats_clients(membership):
        chosen = membership
    if chosen is not None:
        initial["therapist"] = chosen.public_id
    services = Service.objects.filter(practice=membership.practice, is_active=True)
    if chosen is not None:
        first_service = services.filter(therapists=chosen).first()
        if first_service is not None:
            initial["service"] = first_service.public_id
    if request.GET.get("time"):
        initial["time"] = request.GET["time"]
    return DeskBookingForm(
        data, initial=initial, clients=desk_clients_for(membership), services=services, therapists=therapists
    )


def _is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _times_context(request, form):
    """The free times for what the form holds (bound or initial), for the radio buttons."""

    def value(name):
        return form[name].value()

    membership = request.membership
    service = (
        Service.objects.filter(
            practice=membership.practice, is_active=True, public_id=value("service")
        ).first()
        if _is_uuid(value("service"))
        else None
    )
    therapist = (
        calendar_therapists_for(membership).filter(public_id=value("therapist")).first()
        if _is_uuid(value("therapist"))
        else None
    )
    day = value("date")
    day = day if isinstance(day, date) else badinput.parse_day(day)
    chosen = str(value("time") or "")[:5]
    if service is None or therapist is None or day is None:
        return {"slots": None, "chosen_time": chosen}
    slots = desk.free_times(membership.practice, service, therapist, day)
    return {"slots": [timezone.localtime(s.start).strftime("%H:%M") for s in slots], "chosen_time": chosen}


def _picker_context(request, query, chosen_value=""):
    membership = request.membership
    query = " ".join(query.split())[:100]
    results = []
    if len(query) >= PICKER_MIN_CHARS:
        # The same search as the client list, so the picker finds exactly whom the list finds.
        clients = search_clients(desk_clients_for(membership), query)
        results = list(clients.order_by("last_name", "first_name", "id")[:PICKER_LIMIT])
        record_read(
            request,
            practice=membership.practice,
            action=AuditAction.LIST,
            subject_type="client",
            searched=True,
            shown=len(results),
            via="desk picker",
        )
    if _is_uuid(chosen_value) and all(str(c.public_id) != chosen_value for c in results):
        kept = desk_clients_for(membership).filter(public_id=chosen_value).first()
        if kept is not None:
            results.insert(0, kept)
    first, _sep, last = (
        query.partition(" ") if not any(ch.isdigit() or ch == "@" for ch in query) else ("", "", "")
    )
    return {
        "query": query,
        "results": results,
        "too_short": 0 < len(query) < PICKER_MIN_CHARS,
        "chosen": chosen_value,
        "new_guess": {"first_name": first.title(), "last_name": last.title()},
        "min_chars": PICKER_MIN_CHARS,
    }


@staff_required
@require_GET
def desk_clients(request):
    """The search-as-you-type results of the client picker (an htmx fragment)."""
    context = _picker_context(request, request.GET.get("q", ""), request.GET.get("client", ""))
    return render(request, "booking/staff/_client_results.html", context)


@staff_required
@require_GET
def desk_times(request):
    """The free times for the service, therapist and date chosen (an htmx fragment)."""
    form = _desk_form(request, request.GET)
    return render(request, "booking/staff/_times.html", {"form": form, **_times_context(request, form)})


@staff_required
@require_http_methods(["GET", "POST"])
def appointment_new(request):
    """Book at the desk: find or add the client, pick a free time (or give a reason for another)."""
    membership = request.membership
    form = _desk_form(request, request.POST or None)
    new_client = NewClientForm(request.POST or None)
    warning, next_free = None, []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        client = data["client"]
        new_ok = client != NEW or new_client.is_valid()
        if new_ok:
            start = timezone.make_aware(datetime.combine(data["date"], data["start_time"]))
            service, therapist = data["service"], data["therapist"]
            warning = desk.outside_hours(therapist, start, start + service.duration)
            if warning and not data["outside_hours_reason"]:
                form.add_error("outside_hours_reason", _("Give a reason to book outside working hours."))
            else:
                try:
                    appointment = desk.book_at_desk(
                        membership=membership,
                        client=None if client == NEW else client,
                        new_client_form=new_client,
                        request=request,
                        service=service,
                        therapist=therapist,
                        start=start,
                        outside_hours_reason=data["outside_hours_reason"] if warning else None,
                    )
                except actions.SlotTaken:
                    form.add_error(
                        None,
                        desk.describe_clash(
                            membership, therapist, start, start + service.duration + service.buffer
                        ),
                    )
                    next_free = desk.next_free_times(membership.practice, service, therapist, start)
                else:
                    messages.success(request, _("Appointment booked."))
                    return redirect("calendar:appointment", public_id=appointment.public_id)
    chosen = form["client"].value() or ""
    context = {
        "form": form,
        "new_client": new_client,
        "warning": warning,
        "next_free": next_free,
        "tz_name": zone_label(timezone.get_current_timezone_name()),
        **_picker_context(request, request.POST.get("q", ""), chosen),
        **_times_context(request, form),
    }
    return render(
        request, "booking/staff/book.html", context, status=400 if request.method == "POST" else 200
    )


def _confirm(request, public_id, *, action, title, button, done):
    appointment = get_calendar_appointment_for_user(request, public_id)
    if not appointment.is_active_booking:
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action(appointment, form.cleaned_data["reason"])
        messages.success(request, done)
        return redirect("calendar:appointment", public_id=appointment.public_id)
    return render(
        request,
        "booking/staff/confirm.html",
        {
            "appointment": appointment,
            "form": form,
            "title": title,
            "button": button,
            "tz_name": zone_label(timezone.get_current_timezone_name()),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def appointment_cancel(request, public_id):
    """Cancel after a confirmation step, with the reason kept on the appointment."""
    return _confirm(
        request,
        public_id,
        action=lambda appointment, reason: actions.cancel_appointment(
            appointment=appointment, actor=request.membership, request=request, reason=reason
        ),
        title=_("Cancel this appointment?"),
        button=_("Cancel appointment"),
        done=_("Appointment cancelled: the time is free again."),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def appointment_no_show(request, public_id):
    """Mark a no-show after a confirmation step, with the reason kept on the appointment."""
    return _confirm(
        request,
        public_id,
        action=lambda appointment, reason: actions.set_status(
            appointment=appointment,
            status=AppointmentStatus.NO_SHOW,
            actor=request.membership,
            request=request,
            reason=reason,
        ),
        title=_("Mark this appointment as a no-show?"),
        button=_("Mark no-show"),
        done=_("Marked as a no-show."),
    )


def calendar_url_for(appointment) -> str:
    day = timezone.localtime(appointment.start).date()
    return reverse("calendar:calendar") + f"?view=day&date={day:%Y-%m-%d}"
