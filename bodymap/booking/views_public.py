"""The public booking page: service → therapist or anyone → day → time → details → confirmation;
and the client's links to manage a booking and to take up a waitlist offer."""

import uuid
from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bodymap.booking import actions
from bodymap.booking.api import refusal_reason
from bodymap.booking.availability import free_slots, rules_for, therapist_slug
from bodymap.booking.changes import change_deadline, client_may_change
from bodymap.booking.forms import ClientDetailsForm, PublicWaitlistForm, parse_start
from bodymap.booking.links import appointment_for_manage_token, manage_token, offer_for_token
from bodymap.booking.models import AppointmentStatus
from bodymap.booking.public import public_practice, public_services, public_therapists, rate_limited
from bodymap.timezones import zone_label

DAYS_SHOWN = 14
ANY = "any"


def _practice(slug):
    practice = public_practice(slug)
    if practice is None:
        raise Http404
    return practice


def _render(request, practice, template, context, status=200):
    with timezone.override(practice.timezone):
        return render(
            request,
            template,
            {"practice": practice, "tz_name": zone_label(practice.timezone), **context},
            status=status,
        )


def _service(practice, slug):
    service = public_services(practice).filter(slug=slug).first()
    if service is None:
        raise Http404
    return service


def _therapist(practice, service, slug):
    """A therapist who offers `service`, or None for "anyone"."""
    if slug == ANY:
        return None
    member = public_therapists(practice).filter(booking_profile__slug=slug, services=service).first()
    if member is None:
        raise Http404
    return member


def book_start(request):
    practice = _practice(None)
    return redirect("booking_public:services", practice=practice.slug)


def book_services(request, practice):
    practice = _practice(practice)
    services = list(
        public_services(practice).filter(therapists__booking_profile__bookable_online=True).distinct()
    )
    return _render(request, practice, "booking/public/services.html", {"services": services, "step": 1})


def book_therapist(request, practice, service):
    practice = _practice(practice)
    service = _service(practice, service)
    therapists = list(public_therapists(practice).filter(services=service))
    return _render(
        request,
        practice,
        "booking/public/therapist.html",
        {"service": service, "therapists": [(therapist_slug(t), t) for t in therapists], "step": 2},
    )


def _days(practice, service, member, first_day, rules):
    # For anyone, one slot per time (the first therapist free) is all the page offers.
    slots = free_slots(
        practice,
        service,
        first_day,
        first_day + timedelta(days=DAYS_SHOWN - 1),
        therapist=member,
        rules=rules,
        first_free_only=member is None,
    )
    tz = ZoneInfo(practice.timezone)
    days = {first_day + timedelta(days=i): [] for i in range(DAYS_SHOWN)}
    for slot in slots:
        days[slot.start.astimezone(tz).date()].append(slot)
    return days


def book_time(request, practice, service, therapist):
    practice = _practice(practice)
    service = _service(practice, service)
    member = _therapist(practice, service, therapist)
    tz = ZoneInfo(practice.timezone)
    today = timezone.now().astimezone(tz).date()
    try:
        first_day = max(today, date.fromisoformat(request.GET.get("from", "")))
    except ValueError:
        first_day = today
    rules = rules_for(practice)
    first_day = min(first_day, today + timedelta(days=rules.horizon_days))
    days = _days(practice, service, member, first_day, rules)
    try:
        chosen = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        chosen = None
    if chosen not in days or not days[chosen]:
        chosen = next((d for d, slots in days.items() if slots), None)
    later = first_day + timedelta(days=DAYS_SHOWN)
    earlier = max(today, first_day - timedelta(days=DAYS_SHOWN))
    return _render(
        request,
        practice,
        "booking/public/time.html",
        {
            "service": service,
            "therapist": member,
            "therapist_slug": therapist,
            "days": [(d, len(s)) for d, s in days.items()],
            "chosen": chosen,
            "slots": days.get(chosen, []),
            "later": later if later <= today + timedelta(days=rules.horizon_days) else None,
            "earlier": earlier if first_day > today else None,
            "window_hours": rules.cancellation_window_hours,
            "step": 3,
        },
    )


@require_http_methods(["GET", "POST"])
def book_details(request, practice, service, therapist):
    practice = _practice(practice)
    service = _service(practice, service)
    member = _therapist(practice, service, therapist)
    tz = ZoneInfo(practice.timezone)
    time_url = reverse("booking_public:time", args=[practice.slug, service.slug, therapist])
    try:
        start = parse_start(request.POST.get("start") or request.GET.get("start") or "")
    except ValidationError:
        return redirect(time_url)
    form = ClientDetailsForm(request.POST or None)
    rules = rules_for(practice)
    change_until = start - timedelta(hours=rules.cancellation_window_hours)
    # One key per visit to the form: a double click or a resubmitted page books once.
    key = (request.POST.get("key") or uuid.uuid4().hex)[:64]
    context = {
        "service": service,
        "therapist": member,
        "therapist_slug": therapist,
        "start": start.astimezone(tz),
        "end": (start + service.duration).astimezone(tz),
        "start_iso": start.astimezone(tz).isoformat(),
        "form": form,
        "key": key,
        "time_url": time_url,
        "window_hours": rules.cancellation_window_hours,
        "change_until": change_until.astimezone(tz),
        "change_locked": change_until <= timezone.now(),
        "step": 4,
    }
    if request.method == "POST" and form.is_valid():
        if rate_limited(request):
            messages.error(request, _("Too many bookings from your connection. Please try again later."))
            return _render(request, practice, "booking/public/details.html", context, status=429)
        start = start.astimezone(UTC)
        try:
            appointment = actions.book_online(
                practice=practice,
                service=service,
                therapist=member,
                start=start,
                client_details=form.cleaned_data,
                request=request,
                idempotency_key=f"web-{key}",
            )
        except actions.SlotTaken:
            messages.error(request, _("Sorry, that time was just taken. Please choose another."))
            return redirect(f"{time_url}?day={start.astimezone(tz).date()}")
        except actions.NotBookable:
            messages.error(request, refusal_reason(practice, start))
            return redirect(time_url)
        except actions.KeyReused:
            # This form already booked with other details: start a fresh booking, show nothing of it.
            messages.error(
                request, _("This form was already used for a booking. Check the details and book again.")
            )
            context["key"] = uuid.uuid4().hex
            return _render(request, practice, "booking/public/details.html", context, status=422)
        return redirect("booking_public:done", token=manage_token(appointment))
    return _render(request, practice, "booking/public/details.html", context)


def _manage_context(appointment):
    practice = appointment.practice
    rules = rules_for(practice)
    tz = ZoneInfo(practice.timezone)
    deadline = change_deadline(appointment, rules)
    can_change = client_may_change(appointment, rules)
    return {
        "appointment": appointment,
        "start": appointment.start.astimezone(tz),
        "end": appointment.end.astimezone(tz),
        "deadline": deadline.astimezone(tz),
        "can_change": can_change,
        "window_hours": rules.cancellation_window_hours,
    }


def book_done(request, token):
    appointment = appointment_for_manage_token(token)
    if appointment is None:
        raise Http404
    return _render(
        request,
        appointment.practice,
        "booking/public/done.html",
        {**_manage_context(appointment), "token": token},
    )


def manage(request, token):
    appointment = appointment_for_manage_token(token)
    if appointment is None:
        raise Http404
    context = {**_manage_context(appointment), "token": token}
    if context["can_change"] and appointment.service is not None:
        tz = ZoneInfo(appointment.practice.timezone)
        today = timezone.now().astimezone(tz).date()
        slots = free_slots(
            appointment.practice,
            appointment.service,
            today,
            today + timedelta(days=DAYS_SHOWN - 1),
            therapist=appointment.therapist,
            ignore=appointment,
        )
        days = {}
        for slot in slots:
            if slot.start != appointment.start:
                days.setdefault(slot.start.astimezone(tz).date(), []).append(slot)
        context["reschedule_days"] = sorted(days.items())
    return _render(request, appointment.practice, "booking/public/manage.html", context)


def _changeable(token):
    appointment = appointment_for_manage_token(token)
    if appointment is None:
        raise Http404
    return appointment, _manage_context(appointment)["can_change"]


@require_POST
def manage_cancel(request, token):
    appointment, can_change = _changeable(token)
    if not can_change:
        messages.error(request, _("This booking can no longer be changed online. Please call the practice."))
    else:
        actions.cancel_appointment(appointment=appointment, request=request)
        messages.success(request, _("Your appointment is cancelled. We have emailed you a confirmation."))
    return redirect("booking_public:manage", token=token)


@require_POST
def manage_move(request, token):
    appointment, can_change = _changeable(token)
    if not can_change:
        messages.error(request, _("This booking can no longer be changed online. Please call the practice."))
        return redirect("booking_public:manage", token=token)
    try:
        start = parse_start(request.POST.get("start", "")).astimezone(UTC)
        actions.move_appointment(appointment=appointment, start=start, request=request, online=True)
    except actions.SlotTaken:
        messages.error(request, _("Sorry, that time was just taken. Please choose another."))
    except (ValidationError, actions.NotBookable):  # an altered form, or a time no longer offered
        messages.error(request, _("That time cannot be booked. Please choose one from the list."))
    else:
        messages.success(request, _("Your appointment has moved. We have emailed you the new time."))
    return redirect("booking_public:manage", token=token)


@require_http_methods(["GET", "POST"])
def offer(request, token):
    found = offer_for_token(token)
    if found is None:
        raise Http404
    entry, appointment = found
    taken = False
    if request.method == "POST":
        try:
            appointment = actions.accept_offer(entry=entry, appointment=appointment, request=request)
        except actions.SlotTaken:
            taken = True
        else:
            return redirect("booking_public:done", token=manage_token(appointment))
    tz = ZoneInfo(appointment.practice.timezone)
    open_offer = (
        not taken
        and appointment.status == AppointmentStatus.HELD
        and appointment.hold_expires_at > timezone.now()
    )
    return _render(
        request,
        appointment.practice,
        "booking/public/offer.html",
        {
            "appointment": appointment,
            "start": appointment.start.astimezone(tz),
            "end": appointment.end.astimezone(tz),
            "open_offer": open_offer,
            "expires": appointment.hold_expires_at,
        },
        status=200 if open_offer or request.method == "GET" else 410,
    )


@require_http_methods(["GET", "POST"])
def returning(request, token):
    """Public, from the link mailed to the booking's address: the booker says which client on file
    they are (a family may share the address). GET only shows the choice; a mail scanner that
    follows the link changes nothing."""
    from bodymap.clients import identity

    appointment = identity.appointment_for_returning_token(token)
    if appointment is None:
        return render(request, "booking/public/returning_invalid.html", status=410)
    candidates = list(identity.claim_candidates(appointment))
    if request.method == "POST":
        chosen = next((c for c in candidates if str(c.public_id) == request.POST.get("client")), None)
        if chosen is not None:
            identity.confirm_returning_client(appointment=appointment, client=chosen, request=request)
            return _render(
                request, appointment.practice, "booking/public/returning_done.html", {"client": chosen}
            )
    from bodymap.audit.log import record_read

    # The page names the clients on file with this address (first name and initial): audited.
    record_read(
        request,
        practice=appointment.practice,
        subject_type="appointment",
        subject_public_id=appointment.public_id,
        via="claim link",
        candidates=[str(c.public_id) for c in candidates],
    )
    return _render(
        request,
        appointment.practice,
        "booking/public/returning.html",
        {"appointment": appointment, "candidates": candidates, **_manage_context(appointment)},
    )


@require_http_methods(["GET", "POST"])
def book_waitlist(request, practice, service, therapist):
    """No time suits: the booker asks to be offered one that frees up between two days."""
    practice = _practice(practice)
    service = _service(practice, service)
    member = _therapist(practice, service, therapist)
    rules = rules_for(practice)
    today = timezone.now().astimezone(ZoneInfo(practice.timezone)).date()
    form = PublicWaitlistForm(
        request.POST or None,
        today=today,
        horizon_days=rules.horizon_days,
        initial={"earliest": today, "latest": today + timedelta(days=DAYS_SHOWN - 1)},
    )
    context = {"service": service, "therapist": member, "therapist_slug": therapist, "form": form}
    if request.method == "POST" and form.is_valid():
        if rate_limited(request):
            messages.error(request, _("Too many requests from your connection. Please try again later."))
            return _render(request, practice, "booking/public/waitlist.html", context, status=429)
        data = form.cleaned_data
        actions.join_waitlist_online(
            practice=practice,
            service=service,
            therapist=member,
            client_details={k: data[k] for k in ("name", "email", "phone")},
            earliest=data["earliest"],
            latest=data["latest"],
            request=request,
        )
        return _render(
            request, practice, "booking/public/waitlist_joined.html", {**context, "email": data["email"]}
        )
    return _render(request, practice, "booking/public/waitlist.html", context)
