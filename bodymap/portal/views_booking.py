"""Self-service in the portal: book again, move or cancel within the practice's change window, and
the waitlist; for each member of a family that shares the account. Every change goes through the
booking actions (the same database guard as the desk's) and asks for a confirmation first."""

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bodymap.access import (
    PORTAL_MEMBER_KEY,
    client_user_required,
    get_portal_appointment,
    get_portal_waitlist_entry,
)
from bodymap.audit.log import record_read
from bodymap.booking import actions
from bodymap.booking.availability import free_slots, rules_for
from bodymap.booking.changes import change_deadline, client_may_change
from bodymap.booking.forms import WaitlistForm, parse_start
from bodymap.booking.models import Appointment
from bodymap.booking.public import public_services, public_therapists

DAYS_SHOWN = 14


@client_user_required
@require_POST
def choose_member(request):
    """Act for another member of the family: only records this account holds can be chosen."""
    chosen = next((c for c in request.portal_family if str(c.public_id) == request.POST.get("client")), None)
    if chosen is None:
        raise Http404
    request.session[PORTAL_MEMBER_KEY] = str(chosen.public_id)
    return redirect("portal:home")


def _free_days(client, service, therapist, ignore=None):
    """Free times for the client with this therapist, two weeks from today, by day; never a time
    when the client is booked elsewhere."""
    practice = client.practice
    tz = ZoneInfo(practice.timezone)
    today = timezone.now().astimezone(tz).date()
    slots = free_slots(
        practice, service, today, today + timedelta(days=DAYS_SHOWN - 1), therapist=therapist, ignore=ignore
    )
    busy = []
    if slots:
        own = Appointment.objects.filter(client=client).blocking(slots[0].start, slots[-1].end)
        if ignore is not None:
            own = own.exclude(pk=ignore.pk)
        busy = list(own.values_list("start", "end"))
    days = {}
    for slot in slots:
        if ignore is not None and slot.start == ignore.start:
            continue
        if any(b_start < slot.end and b_end > slot.start for b_start, b_end in busy):
            continue
        days.setdefault(slot.start.astimezone(tz).date(), []).append(slot)
    return sorted(days.items())


def _start(request):
    try:
        return parse_start(request.POST.get("start") or request.GET.get("start") or "").astimezone(UTC)
    except ValidationError:
        return None


def _context(request, appointment, **extra):
    rules = rules_for(appointment.practice)
    return {
        "now": timezone.now(),
        "family_size": len(request.portal_family),
        "appointment": appointment,
        "practice": appointment.practice,
        "can_change": client_may_change(appointment, rules),
        "deadline": change_deadline(appointment, rules),
        "window_hours": rules.cancellation_window_hours,
        "tz_name": appointment.practice.timezone,
        **extra,
    }


@client_user_required
def appointment_detail(request, public_id):
    appointment = get_portal_appointment(request, public_id)
    record_read(
        request,
        practice=appointment.practice,
        subject_type="appointment",
        subject_public_id=appointment.public_id,
        via="portal",
    )
    return render(request, "portal/appointment.html", _context(request, appointment))


@client_user_required
@require_http_methods(["GET", "POST"])
def appointment_cancel(request, public_id):
    appointment = get_portal_appointment(request, public_id)
    if not client_may_change(appointment):
        messages.error(request, _("This booking can no longer be changed online. Please call the practice."))
        return redirect("portal:appointment", public_id=public_id)
    if request.method == "POST":
        actions.cancel_appointment(appointment=appointment, actor=request.user, request=request, via="portal")
        messages.success(request, _("The appointment is cancelled. We have emailed a confirmation."))
        return redirect("portal:home")
    return render(request, "portal/appointment_cancel.html", _context(request, appointment))


@client_user_required
@require_http_methods(["GET", "POST"])
def appointment_move(request, public_id):
    """Choose a new time (GET), confirm it (GET with ?start=), move (POST)."""
    appointment = get_portal_appointment(request, public_id)
    if not client_may_change(appointment) or appointment.service is None:
        messages.error(request, _("This booking can no longer be changed online. Please call the practice."))
        return redirect("portal:appointment", public_id=public_id)
    start = _start(request)
    if request.method == "POST" and start is not None:
        try:
            actions.move_appointment(
                appointment=appointment,
                start=start,
                actor=request.user,
                request=request,
                online=True,
                via="portal",
                check_client=True,
            )
        except actions.SlotTaken:
            messages.error(request, _("Sorry, that time was just taken. Please choose another."))
        except actions.ClientBusy:
            messages.error(request, _("There is already a booking at that time. Please choose another."))
        except actions.NotBookable:
            messages.error(request, _("That time cannot be booked. Please choose one from the list."))
        else:
            messages.success(request, _("The appointment has moved. We have emailed the new time."))
            return redirect("portal:appointment", public_id=public_id)
        start = None
    tz = ZoneInfo(appointment.practice.timezone)
    if start is not None:
        return render(
            request,
            "portal/appointment_move_confirm.html",
            _context(
                request,
                appointment,
                new_start=start.astimezone(tz),
                new_end=(start + (appointment.end - appointment.start)).astimezone(tz),
                start_iso=start.astimezone(tz).isoformat(),
            ),
        )
    days = _free_days(appointment.client, appointment.service, appointment.therapist, ignore=appointment)
    return render(request, "portal/appointment_move.html", _context(request, appointment, days=days))


@client_user_required
@require_http_methods(["GET", "POST"])
def book_again(request, public_id):
    """The same service with the same therapist, for the same member of the family."""
    previous = get_portal_appointment(request, public_id)
    client, service = previous.client, previous.service
    therapist = public_therapists(previous.practice).filter(pk=previous.therapist_id).first()
    if service is None or not service.is_active or therapist is None:
        messages.error(request, _("This cannot be booked online again. Please call the practice."))
        return redirect("portal:appointment", public_id=public_id)
    start = _start(request)
    rules = rules_for(previous.practice)
    tz = ZoneInfo(previous.practice.timezone)
    if request.method == "POST" and start is not None:
        try:
            appointment, _created = actions.book_appointment(
                practice=previous.practice,
                service=service,
                therapist=therapist,
                start=start,
                client=client,
                actor=request.user,
                request=request,
                online=True,
                via="portal",
                check_client=True,
            )
        except actions.SlotTaken:
            messages.error(request, _("Sorry, that time was just taken. Please choose another."))
        except actions.ClientBusy:
            messages.error(request, _("There is already a booking at that time. Please choose another."))
        except actions.NotBookable:
            messages.error(request, _("That time cannot be booked. Please choose one from the list."))
        else:
            messages.success(request, _("You are booked. We have emailed a confirmation."))
            return redirect("portal:appointment", public_id=appointment.public_id)
        start = None
    context = {
        "previous": previous,
        "client": client,
        "service": service,
        "therapist": therapist,
        "practice": previous.practice,
        "window_hours": rules.cancellation_window_hours,
        "tz_name": previous.practice.timezone,
    }
    if start is not None:
        change_until = start - timedelta(hours=rules.cancellation_window_hours)
        return render(
            request,
            "portal/book_again_confirm.html",
            {
                **context,
                "start": start.astimezone(tz),
                "end": (start + service.duration).astimezone(tz),
                "start_iso": start.astimezone(tz).isoformat(),
                "change_until": change_until.astimezone(tz),
                "change_locked": change_until <= timezone.now(),
            },
        )
    days = _free_days(client, service, therapist)
    return render(request, "portal/book_again.html", {**context, "days": days})


@client_user_required
@require_http_methods(["GET", "POST"])
def waitlist_join(request):
    """Join the waitlist for the member of the family the portal is acting for."""
    client = request.portal_client
    practice = client.practice
    rules = rules_for(practice)
    today = timezone.localdate()
    form = WaitlistForm(
        request.POST or None,
        services=public_services(practice),
        therapists=public_therapists(practice),
        today=today,
        horizon_days=rules.horizon_days,
        initial={"earliest": today, "latest": today + timedelta(days=DAYS_SHOWN - 1)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.join_waitlist(
            practice=practice,
            service=data["service"],
            client=client,
            therapist=data["therapist"],
            earliest=data["earliest"],
            latest=data["latest"],
            actor=request.user,
            request=request,
            via="portal",
        )
        messages.success(request, _("You are on the waitlist. We will email you when a time frees up."))
        return redirect("portal:home")
    return render(request, "portal/waitlist_join.html", {"client": client, "form": form})


@client_user_required
@require_POST
def waitlist_leave(request, public_id):
    entry = get_portal_waitlist_entry(request, public_id)
    actions.leave_waitlist(entry=entry, actor=request.user, request=request, via="portal")
    messages.success(request, _("You are off the waitlist."))
    return redirect("portal:home")
