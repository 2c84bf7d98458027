"""Emails to clients about their bookings, with the appointment as an iCalendar attachment."""

from zoneinfo import ZoneInfo

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar, Event

from bodymap.booking.links import absolute, manage_path
from bodymap.booking.models import Appointment
from bodymap.timezones import zone_label


def appointment_ics(appointment: Appointment, *, method="PUBLISH", cancelled=False) -> bytes:
    """One appointment as iCalendar: the service, the therapist and the practice, nothing clinical."""
    practice = appointment.practice
    cal = Calendar()
    cal.add("prodid", "-//Bodymap//Booking//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else method)
    event = Event()
    event.add("uid", f"{appointment.public_id}@bodymap")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.start)
    event.add("dtend", appointment.end)
    event.add("summary", f"{appointment.service_name or 'Appointment'} – {practice.name}")
    event.add("description", f"With {appointment.therapist.display_name}")
    if practice.address:
        event.add("location", practice.address.replace("\n", ", "))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", int(timezone.now().timestamp()))
    cal.add_component(event)
    return cal.to_ical()


def _intake_url(client, request):
    # Imported here: the intake app imports nothing of booking, and must not need to.
    from bodymap.intake.links import has_submitted_intake, intake_path

    if has_submitted_intake(client):
        return None
    return absolute(intake_path(client), request)


def _logo_url(practice, request):
    """The logo's full address: a mail app fetches it from the public page's URL, with no sign-in."""
    if not practice.logo_digest:
        return None
    path = reverse("booking_public:logo", args=[practice.slug]) + f"?v={practice.logo_digest[:12]}"
    return absolute(path, request)


def _context(appointment: Appointment, request=None, **extra):
    tz = ZoneInfo(appointment.practice.timezone)
    return {
        "appointment": appointment,
        "practice": appointment.practice,
        "client": appointment.client,
        "start": appointment.start.astimezone(tz),
        "end": appointment.end.astimezone(tz),
        "tz_name": zone_label(appointment.practice.timezone),
        # One line each: joined without a break the street and the city run together.
        "address_lines": [line.strip() for line in appointment.practice.address.splitlines() if line.strip()],
        "manage_url": absolute(manage_path(appointment), request),
        "logo_url": _logo_url(appointment.practice, request),
        **extra,
    }


def _message(template: str, context: dict, to: str, ics: bytes | None = None) -> EmailMessage:
    with translation.override("en"), timezone.override(context["practice"].timezone):
        subject = render_to_string(f"booking/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"booking/email/{template}_body.txt", context)
        # The same words as HTML, line by line, for mail apps that show HTML first.
        html = render_to_string(
            "booking/email/message.html",
            {
                "subject": subject,
                "body": body,
                "practice": context["practice"],
                "logo_url": context.get("logo_url"),
                # Mail apps ignore linked stylesheets, so the colour goes inline here.
                "brand_colour": context["practice"].brand_colour or "#2f6f68",
            },
        )
    practice = context["practice"]
    message = EmailMultiAlternatives(
        subject, body, None, [to], reply_to=[practice.email] if practice.email else None
    )
    message.attach_alternative(html, "text/html")
    if ics is not None:
        message.attach("appointment.ics", ics, "text/calendar")
    return message


def _returning_url(appointment, request):
    """For a booking whose email matched a client: the link by which the booker, from this address,
    says they are that client. A possible duplicate gets no intake link until then."""
    from bodymap.clients.identity import returning_path

    if not appointment.booked_online or appointment.client.possible_duplicate_of_id is None:
        return None
    return absolute(returning_path(appointment), request)


def confirmation(appointment: Appointment, request=None, *, moved=False) -> EmailMessage:
    returning_url = _returning_url(appointment, request)
    intake_url = None if returning_url else _intake_url(appointment.client, request)
    context = _context(appointment, request, intake_url=intake_url, returning_url=returning_url, moved=moved)
    return _message("confirmation", context, appointment.client.email, appointment_ics(appointment))


def cancellation(appointment: Appointment, request=None) -> EmailMessage:
    context = _context(appointment, request)
    return _message(
        "cancellation", context, appointment.client.email, appointment_ics(appointment, cancelled=True)
    )


def reminder(appointment: Appointment) -> EmailMessage:
    context = _context(appointment, None, intake_url=_intake_url(appointment.client, None))
    return _message("reminder", context, appointment.client.email, appointment_ics(appointment))


def waitlist_offer(appointment: Appointment, offer_url: str) -> EmailMessage:
    context = _context(appointment, None, offer_url=offer_url, expires=appointment.hold_expires_at)
    return _message("offer", context, appointment.client.email)
