"""Booking setup: services, weekly hours, day changes, time off and the practice's booking rules.

The owner sets up everything; a therapist keeps their own hours and time off; front desk runs the
diary (day changes and time off of anyone) and reads the rest. The rules live in bodymap.access.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from bodymap.access import (
    diary_therapists_for,
    get_diary_therapist_for_user,
    get_hours_therapist_for_user,
    get_service_for_user,
    get_upcoming_day_change_for_user,
    get_upcoming_time_off_for_user,
    hours_therapists_for,
    owner_required,
    sets_up_practice,
    staff_required,
)
from bodymap.accounts.models import Membership
from bodymap.booking import setup_actions
from bodymap.booking.availability import rules_for
from bodymap.booking.forms_setup import (
    BookingRulesForm,
    DayChangeForm,
    ServiceForm,
    TimeOffForm,
    week_forms,
)
from bodymap.booking.models import DayOverride, Service, TimeOff, WorkingHours
from bodymap.booking.schedule import stranded_appointments
from bodymap.timezones import zone_label


def _tz_name():
    return zone_label(timezone.get_current_timezone_name())


def _upcoming(queryset):
    """Therapists with their hours and their day changes and time off still to come."""
    now = timezone.now()
    return queryset.prefetch_related(
        Prefetch("working_hours", queryset=WorkingHours.objects.order_by("weekday", "start")),
        Prefetch(
            "day_overrides",
            queryset=DayOverride.objects.filter(date__gte=timezone.localdate()).order_by("date", "start"),
            to_attr="upcoming_changes",
        ),
        Prefetch(
            "time_off",
            queryset=TimeOff.objects.filter(end__gt=now).order_by("start"),
            to_attr="upcoming_time_off",
        ),
    )


def _may_edit_hours(membership, therapist) -> bool:
    return hours_therapists_for(membership).filter(pk=therapist.pk).exists()


@staff_required
def setup(request):
    """The overview: services, each therapist's week and what is coming up, the booking rules."""
    membership = request.membership
    therapists = list(_upcoming(diary_therapists_for(membership)))
    editable_hours = set(hours_therapists_for(membership).values_list("pk", flat=True))
    services = Service.objects.filter(practice=membership.practice).prefetch_related(
        Prefetch(
            "therapists", queryset=Membership.objects.select_related("user").order_by("created_at", "id")
        )
    )
    return render(
        request,
        "booking/setup/overview.html",
        {
            "services": services,
            "therapists": [(t, t.pk in editable_hours) for t in therapists],
            "rules": rules_for(membership.practice),
            "is_owner": sets_up_practice(membership),
            "tz_name": _tz_name(),
        },
    )


# Services ------------------------------------------------------------------------------------


def _service_form(request, service, data=None):
    practice = request.membership.practice
    return ServiceForm(
        data,
        instance=service,
        practice=practice,
        therapists=Membership.objects.therapists().filter(practice=practice).select_related("user"),
    )


def _save_service(request, service):
    form = _service_form(request, service, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            setup_actions.save_service(
                service=form.save(),
                therapists=form.cleaned_data["therapists"],
                changed=form.changed_data,
                actor=request.membership,
                request=request,
            )
        except setup_actions.SlugTaken:
            form.add_error(
                "name", _("Another service already has this web address. Choose a different name.")
            )
        else:
            messages.success(request, _("Service saved."))
            return redirect("calendar:setup")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "booking/setup/service_form.html", {"form": form, "service": service}, status=status
    )


@owner_required
@require_http_methods(["GET", "POST"])
def service_new(request):
    return _save_service(request, None)


@owner_required
@require_http_methods(["GET", "POST"])
def service_edit(request, public_id):
    return _save_service(request, get_service_for_user(request, public_id))


# Booking rules -------------------------------------------------------------------------------


@owner_required
@require_http_methods(["GET", "POST"])
def booking_rules(request):
    rules = rules_for(request.membership.practice)
    form = BookingRulesForm(request.POST if request.method == "POST" else None, instance=rules)
    if request.method == "POST" and form.is_valid():
        setup_actions.save_booking_rules(
            rules=form.save(commit=False),
            changed=form.changed_data,
            actor=request.membership,
            request=request,
        )
        messages.success(request, _("Booking rules saved."))
        return redirect("calendar:setup")
    status = 400 if request.method == "POST" else 200
    return render(request, "booking/setup/rules_form.html", {"form": form}, status=status)


# A therapist's schedule ----------------------------------------------------------------------


def _warn_stranded(request, therapist):
    stranded = stranded_appointments(therapist)
    if stranded:
        messages.warning(
            request,
            ngettext(
                "%(count)d booked appointment now falls outside the working hours or inside time off. "
                "It is listed below: move it or let the client know.",
                "%(count)d booked appointments now fall outside the working hours or inside time off. "
                "They are listed below: move them or let the clients know.",
                len(stranded),
            )
            % {"count": len(stranded)},
        )


def _schedule(request, therapist, *, change_form=None, time_off_form=None, status=200):
    therapist = _upcoming(Membership.objects.filter(pk=therapist.pk).select_related("user", "practice")).get()
    return render(
        request,
        "booking/setup/therapist.html",
        {
            "therapist": therapist,
            "may_edit_hours": _may_edit_hours(request.membership, therapist),
            "change_form": change_form or DayChangeForm(therapist=therapist),
            "time_off_form": time_off_form or TimeOffForm(),
            "stranded": stranded_appointments(therapist),
            "tz_name": _tz_name(),
        },
        status=status,
    )


@staff_required
def therapist_schedule(request, public_id):
    """One therapist's week, their upcoming day changes and time off, and what they strand."""
    return _schedule(request, get_diary_therapist_for_user(request, public_id))


@staff_required
@require_http_methods(["GET", "POST"])
def working_hours(request, public_id):
    therapist = get_hours_therapist_for_user(request, public_id)
    hours = WorkingHours.objects.filter(therapist=therapist).order_by("weekday", "start")
    days = week_forms(request.POST if request.method == "POST" else None, hours)
    if request.method == "POST" and all(day.is_valid() for day in days):
        setup_actions.save_working_hours(
            therapist=therapist,
            week={day.weekday: day.times() for day in days},
            actor=request.membership,
            request=request,
        )
        messages.success(request, _("Working hours saved."))
        _warn_stranded(request, therapist)
        return redirect("calendar:setup_therapist", public_id=therapist.public_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "booking/setup/hours_form.html",
        {
            "therapist": therapist,
            "days": days,
            "has_errors": any(day.errors for day in days),
            "tz_name": _tz_name(),
        },
        status=status,
    )


@staff_required
@require_POST
def day_change_add(request, public_id):
    therapist = get_diary_therapist_for_user(request, public_id)
    form = DayChangeForm(request.POST, therapist=therapist)
    if not form.is_valid():
        return _schedule(request, therapist, change_form=form, status=400)
    data = form.cleaned_data
    setup_actions.add_day_change(
        therapist=therapist,
        date=data["date"],
        start=data["start"],
        end=data["end"],
        actor=request.membership,
        request=request,
    )
    messages.success(request, _("Day change added."))
    _warn_stranded(request, therapist)
    return redirect("calendar:setup_therapist", public_id=therapist.public_id)


@staff_required
@require_POST
def day_change_remove(request, public_id):
    change = get_upcoming_day_change_for_user(request, public_id)
    therapist = change.therapist
    setup_actions.remove_day_change(change=change, actor=request.membership, request=request)
    messages.success(request, _("Day change removed: the usual hours apply that day."))
    _warn_stranded(request, therapist)
    return redirect("calendar:setup_therapist", public_id=therapist.public_id)


@staff_required
@require_POST
def time_off_add(request, public_id):
    therapist = get_diary_therapist_for_user(request, public_id)
    form = TimeOffForm(request.POST)
    if not form.is_valid():
        return _schedule(request, therapist, time_off_form=form, status=400)
    data = form.cleaned_data
    setup_actions.add_time_off(
        therapist=therapist,
        start=data["start"],
        end=data["end"],
        reason=data["reason"],
        actor=request.membership,
        request=request,
    )
    messages.success(request, _("Time off added."))
    _warn_stranded(request, therapist)
    return redirect("calendar:setup_therapist", public_id=therapist.public_id)


@staff_required
@require_POST
def time_off_remove(request, public_id):
    block = get_upcoming_time_off_for_user(request, public_id)
    therapist = block.therapist
    setup_actions.remove_time_off(block=block, actor=request.membership, request=request)
    messages.success(request, _("Time off removed."))
    return redirect("calendar:setup_therapist", public_id=therapist.public_id)
