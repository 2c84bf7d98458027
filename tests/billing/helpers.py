"""A practice set up to bill: HST, a posted fee, a therapist with registration and signature, and a
treatment that took place yesterday."""

import io
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from bodymap.billing import actions
from bodymap.billing.models import BillingSettings, ServiceBilling
from bodymap.booking.models import Appointment, AppointmentStatus, Service


def png(colour="navy") -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (200, 60), "white")
    ImageDraw.Draw(image).line([(10, 40), (60, 10), (120, 45), (190, 15)], fill=colour, width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@dataclass
class Billed:
    cast: object
    service: Service
    appointment: Appointment  # yesterday, completed, Sam Rivera with `therapist`


def set_up_billing(cast, *, tax=True, profile=True, hours_ago=26) -> Billed:
    BillingSettings.objects.update_or_create(
        practice=cast.practice,
        defaults={
            "tax_name": "HST",
            "tax_number": "81234 5678 RT0001" if tax else "",
            "tax_rate_bp": 1300 if tax else 0,
            "cancellation_policy": "24 hours' notice or half the fee is charged.",
        },
    )
    service = Service.objects.create(
        practice=cast.practice,
        name="Massage therapy, 60 minutes",
        slug="massage-60",
        minutes=60,
        price=Decimal("110.00"),
    )
    service.therapists.add(cast.therapist, cast.other_therapist)
    ServiceBilling.objects.create(service=service, taxable=True, is_massage_therapy=True)
    if profile:
        actions.save_profile(
            membership=cast.therapist,
            actor=cast.therapist,
            designation="RMT",
            regulator="College of Massage Therapists of Ontario",
            registration_number="U1234",
            signature=png(),
        )
    start = timezone.now().replace(microsecond=0) - timedelta(hours=hours_ago)
    appointment = Appointment.objects.create(
        practice=cast.practice,
        client=cast.client,
        therapist=cast.therapist,
        service=service,
        service_name=service.name,
        start=start,
        end=start + timedelta(hours=1),
        status=AppointmentStatus.COMPLETED,
    )
    return Billed(cast, service, appointment)


def invoice_for(billed: Billed, actor=None):
    return actions.issue_invoice(appointment=billed.appointment, actor=actor or billed.cast.front_desk)


def paid_invoice(billed: Billed):
    invoice = invoice_for(billed)
    actions.record_payment(
        invoice=invoice,
        method="cash",
        amount_cents=invoice.total_cents,
        actor_user=billed.cast.front_desk.user,
    )
    return invoice
