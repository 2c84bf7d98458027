"""The waitlist at the desk: list, add, offer a time, remove. The owner and front desk manage the
whole practice's; a therapist the entries of their own clients, offering times in their own diary."""

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bodymap.access import (
    calendar_therapists_for,
    clients_for,
    get_waitlist_entry_for_user,
    staff_required,
    waitlist_for,
)
from bodymap.audit.log import record_read
from bodymap.audit.models import AuditAction
from bodymap.booking import actions
from bodymap.booking.availability import free_slots, rules_for
from bodymap.booking.forms import WaitlistForm, parse_start
from bodymap.booking.models import Appointment, Service, WaitlistStatus

OFFER_DAYS = 14


@staff_required
def waitlist(request):
    membership = request.membership
    entries = list(
        waitlist_for(membership)
        .filter(status__in=(WaitlistStatus.WAITING, WaitlistStatus.OFFERED))
        .select_related("client", "service", "therapist__user", "offer__therapist__user")
        .order_by("created_at", "id")
    )
    record_read(
        request,
        practice=membership.practice,
        action=AuditAction.LIST,
        subject_type="waitlist",
        count=len(entries),
    )
    return render(request, "booking/waitlist/list.html", {"entries": entries})


@staff_required
@require_http_methods(["GET", "POST"])
def waitlist_add(request):
    membership = request.membership
    rules = rules_for(membership.practice)
    form = WaitlistForm(
        request.POST or None,
        clients=clients_for(membership)
        .filter(is_active=True, merged_into__isnull=True)
        .order_by("last_name", "first_name", "id"),
        services=Service.objects.filter(practice=membership.practice, is_active=True),
        therapists=calendar_therapists_for(membership),
        today=timezone.localdate(),
        horizon_days=rules.horizon_days,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.join_waitlist(
            practice=membership.practice,
            service=data["service"],
            client=data["client"],
            therapist=data["therapist"],
            earliest=data["earliest"],
            latest=data["latest"],
            actor=membership,
            request=request,
        )
        messages.success(request, _("%(name)s is on the waitlist.") % {"name": data["client"].display_name})
        return redirect("waitlist:list")
    return render(request, "booking/waitlist/add.html", {"form": form})


def _offerable_slots(entry, therapists):
    """Times the entry could take: its service, days and therapist, in diaries the acting user runs,
    and not while the client is booked elsewhere."""
    today = timezone.localdate()
    first = max(entry.earliest, today)
    last = min(entry.latest, first + timedelta(days=OFFER_DAYS - 1))
    offering = set(entry.service.therapists.values_list("pk", flat=True))
    therapists = [t for t in therapists if t.pk in offering and entry.therapist_id in (None, t.pk)]
    slots = free_slots(entry.practice, entry.service, first, last, therapists=therapists, online=False)
    if not slots:
        return []
    # One query for the client's own bookings; the offer itself checks again under the lock.
    busy = list(
        Appointment.objects.filter(client=entry.client)
        .blocking(slots[0].start, slots[-1].end)
        .values_list("start", "end")
    )
    return [s for s in slots if not any(b_start < s.end and b_end > s.start for b_start, b_end in busy)]


@staff_required
@require_http_methods(["GET", "POST"])
def waitlist_offer(request, public_id):
    entry = get_waitlist_entry_for_user(request, public_id)
    therapists = list(calendar_therapists_for(request.membership))
    if request.method == "POST" and entry.status == WaitlistStatus.WAITING:
        chosen = next((t for t in therapists if str(t.public_id) == request.POST.get("therapist")), None)
        try:
            start = parse_start(request.POST.get("start", "")).astimezone(UTC)
        except ValidationError:
            start = None
        offered = {(s.therapist.pk, s.start) for s in _offerable_slots(entry, therapists)}
        if chosen is None or start is None or (chosen.pk, start) not in offered:
            messages.error(request, _("That time cannot be offered. Please choose one from the list."))
        else:
            try:
                actions.offer_slot(
                    entry=entry, therapist=chosen, start=start, actor=request.membership, request=request
                )
            except actions.SlotTaken:
                messages.error(request, _("Sorry, that time was just taken. Please choose another."))
            except actions.ClientBusy:
                messages.error(request, _("The client is booked elsewhere at that time."))
            except actions.NotBookable:
                messages.error(request, _("This client is no longer waiting."))
            else:
                messages.success(
                    request,
                    _("The time is held for %(name)s and they have been emailed a link to take it.")
                    % {"name": entry.client.display_name},
                )
                return redirect("waitlist:list")
    tz = ZoneInfo(entry.practice.timezone)
    days = {}
    if entry.status == WaitlistStatus.WAITING:
        for slot in _offerable_slots(entry, therapists):
            days.setdefault(slot.start.astimezone(tz).date(), []).append(slot)
    return render(
        request,
        "booking/waitlist/offer.html",
        {"entry": entry, "days": sorted(days.items()), "tz_name": timezone.get_current_timezone_name()},
    )


@staff_required
@require_POST
def waitlist_remove(request, public_id):
    entry = get_waitlist_entry_for_user(request, public_id)
    actions.leave_waitlist(entry=entry, actor=request.membership, request=request)
    messages.success(request, _("%(name)s is off the waitlist.") % {"name": entry.client.display_name})
    return redirect("waitlist:list")
