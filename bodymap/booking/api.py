"""The public booking API (django-ninja), its OpenAPI schema at /api/v1/openapi.json."""

from datetime import date
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from bodymap import badinput
from bodymap.booking import actions
from bodymap.booking.availability import free_slots, rules_for, therapist_slug
from bodymap.booking.forms import BookingRequestForm, ClientDetailsForm
from bodymap.booking.links import absolute, manage_path
from bodymap.booking.public import (
    local,
    public_practice,
    public_services,
    public_therapists,
    rate_limited,
    therapist_by_slug,
)

MAX_DAYS = 62

api = NinjaAPI(
    title="Bodymap booking",
    version="1",
    description="Services, therapists, free times and bookings of a practice.",
    urls_namespace="api",
    docs_url=None,  # the interactive docs load scripts from a CDN, which the CSP forbids
)


class ServiceOut(Schema):
    slug: str
    name: str
    minutes: int
    price: str


class TherapistOut(Schema):
    slug: str
    name: str
    services: list[str]


class SlotOut(Schema):
    start: str
    end: str
    therapist: str


class AvailabilityOut(Schema):
    timezone: str
    slots: list[SlotOut]


# Fields without a default are required, and the OpenAPI schema says so.
class ClientIn(Schema):
    name: str
    email: str
    phone: str = ""


class BookingIn(Schema):
    service: str
    therapist: str
    start: str
    client: ClientIn
    idempotency_key: str = ""
    practice: str | None = None


# What to say when a required field is left out, in the words the booking page uses.
MISSING = {
    "service": gettext_lazy("Choose a service."),
    "therapist": gettext_lazy("Choose a therapist, or 'any' for the first one free."),
    "start": gettext_lazy("Choose a start time."),
    "client": gettext_lazy("Tell us who is booking: client.name and client.email."),
    "client.name": gettext_lazy("Enter your name."),
    "client.email": gettext_lazy("Enter your email address."),
}


class BookingOut(Schema):
    id: str
    service: str
    therapist: str
    start: str
    end: str
    status: str
    manage_url: str


class ErrorsOut(Schema):
    errors: dict[str, list[str]]


class ErrorOut(Schema):
    error: str


def _errors(request, errors: dict, status=400):
    return api.create_response(request, {"errors": errors}, status=status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc):
    errors = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "payload")]
        field = ".".join(loc) or "body"
        missing = error.get("type") == "missing" and field in MISSING
        errors.setdefault(field, []).append(str(MISSING[field]) if missing else _("This value is not valid."))
    return _errors(request, errors)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if exc.status_code == 400:  # a body that is not JSON at all
        return _errors(request, {"body": [_("Send the booking as a JSON object.")]})
    return api.create_response(request, {"error": str(exc)}, status=exc.status_code)


def _practice_or_404(request, slug):
    practice = public_practice(slug)
    if practice is None:
        return None, api.create_response(request, {"error": "practice_not_found"}, status=404)
    return practice, None


@api.get("/services", response={200: list[ServiceOut], 404: ErrorOut})
def services(request, practice: str | None = None):
    practice, missing = _practice_or_404(request, practice)
    if missing:
        return missing
    return [
        {"slug": s.slug, "name": s.name, "minutes": s.minutes, "price": str(s.price)}
        for s in public_services(practice)
    ]


@api.get("/therapists", response={200: list[TherapistOut], 404: ErrorOut})
def therapists(request, practice: str | None = None):
    practice, missing = _practice_or_404(request, practice)
    if missing:
        return missing
    members = public_therapists(practice).prefetch_related("services")
    return [
        {
            "slug": therapist_slug(m),
            "name": m.display_name,
            "services": [s.slug for s in m.services.all() if s.is_active],
        }
        for m in members
    ]


def _parse_date(value, field, errors):
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(_("Enter a date as YYYY-MM-DD."))
        return None
    if not badinput.in_range(day):
        errors.setdefault(field, []).append(badinput.out_of_range_message())
        return None
    return day


@api.get("/availability", response={200: AvailabilityOut, 400: ErrorsOut, 404: ErrorOut})
def availability(
    request,
    service: str | None = None,
    start: str | None = None,
    end: str | None = None,
    therapist: str | None = None,
    practice: str | None = None,
):
    """Free start times from `start` to `end` (inclusive, at most 62 days), in the practice's zone."""
    practice, missing = _practice_or_404(request, practice)
    if missing:
        return missing
    errors = {}
    chosen = public_services(practice).filter(slug=service).first() if service else None
    if not service:
        errors["service"] = [_("Choose a service.")]
    elif chosen is None:
        errors["service"] = [_("No service with this name is offered.")]
    first = _parse_date(start, "start", errors) if start else None
    last = _parse_date(end, "end", errors) if end else None
    if not start:
        errors["start"] = [_("Give the first day, as YYYY-MM-DD.")]
    if not end:
        errors["end"] = [_("Give the last day, as YYYY-MM-DD.")]
    if first and last:
        if last < first:
            errors.setdefault("end", []).append(_("The last day cannot be before the first."))
        elif (last - first).days + 1 > MAX_DAYS:
            errors.setdefault("end", []).append(
                _("Ask for at most %(days)d days at a time.") % {"days": MAX_DAYS}
            )
    member = None
    if therapist and therapist != "any":
        member = therapist_by_slug(practice, therapist)
        if member is None:
            errors["therapist"] = [_("No therapist with this name takes bookings here.")]
        elif chosen is not None and not chosen.therapists.filter(pk=member.pk).exists():
            errors["therapist"] = [_("This therapist does not offer this service.")]
    if errors:
        return _errors(request, errors)
    slots = free_slots(practice, chosen, first, last, therapist=member)
    return {
        "timezone": practice.timezone,
        "slots": [
            {
                "start": local(s.start, practice).isoformat(),
                "end": local(s.end, practice).isoformat(),
                "therapist": s.therapist_slug,
            }
            for s in slots
        ],
    }


def booking_out(appointment, request):
    practice = appointment.practice
    return {
        "id": str(appointment.public_id),
        "service": appointment.service.slug if appointment.service else "",
        "therapist": therapist_slug(appointment.therapist),
        "start": local(appointment.start, practice).isoformat(),
        "end": local(appointment.end, practice).isoformat(),
        "status": appointment.status,
        "manage_url": absolute(manage_path(appointment), request),
    }


def refusal_reason(practice, start) -> str:
    """Why a time that is not taken still cannot be booked."""
    rules = rules_for(practice)
    now = timezone.now()
    if start < now + rules.min_notice:
        hours = rules.min_notice_minutes / 60
        return _("Book at least %(hours)s hours ahead.") % {"hours": f"{hours:g}"}
    if start > now + rules.horizon:
        return _("Bookings open %(days)d days ahead: choose an earlier day.") % {"days": rules.horizon_days}
    return _("This is not one of the free times: choose a time from the availability.")


@api.post(
    "/bookings",
    response={201: BookingOut, 400: ErrorsOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
)
def create_booking(request, payload: BookingIn):
    """Book a time. The same idempotency_key with the same request returns the first booking; with
    a different request it is refused (422)."""
    if rate_limited(request):
        return Status(429, {"error": "rate_limited"})
    practice, missing = _practice_or_404(request, payload.practice)
    if missing:
        return missing
    form = BookingRequestForm(
        {
            "service": payload.service,
            "therapist": payload.therapist,
            "start": payload.start,
            "idempotency_key": payload.idempotency_key,
        }
    )
    client = payload.client
    details = ClientDetailsForm({"name": client.name, "email": client.email, "phone": client.phone})
    errors = {}
    if not form.is_valid():
        errors.update({k: list(v) for k, v in form.errors.items()})
    if not details.is_valid():
        errors.update({f"client.{k}": list(v) for k, v in details.errors.items()})
    service = member = None
    if "service" in form.cleaned_data:
        service = public_services(practice).filter(slug=form.cleaned_data["service"]).first()
        if service is None:
            errors["service"] = [_("No service with this name is offered.")]
    if "therapist" in form.cleaned_data and form.cleaned_data["therapist"] != "any":
        member = therapist_by_slug(practice, form.cleaned_data["therapist"])
        if member is None:
            errors["therapist"] = [_("No therapist with this name takes bookings here.")]
        elif service is not None and not service.therapists.filter(pk=member.pk).exists():
            errors["therapist"] = [_("This therapist does not offer this service.")]
    if errors:
        return _errors(request, errors)
    start = form.cleaned_data["start"].astimezone(ZoneInfo("UTC"))
    key = form.cleaned_data["idempotency_key"] or None
    try:
        appointment = actions.book_online(
            practice=practice,
            service=service,
            therapist=member,
            start=start,
            client_details=details.cleaned_data,
            request=request,
            idempotency_key=key,
        )
    except actions.SlotTaken:
        return Status(409, {"error": "slot_taken"})
    except actions.NotBookable:
        return _errors(request, {"start": [refusal_reason(practice, start)]})
    except actions.KeyReused:
        return Status(422, {"error": "idempotency_key_reused"})
    return Status(201, booking_out(appointment, request))
