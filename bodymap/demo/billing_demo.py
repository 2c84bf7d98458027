"""The demo practice's money: posted fees with HST, staff registration and signatures, paid and
unpaid invoices, a refund, a package in use, a gift card and receipts for the last month. Called at
the end of practice.load()."""

import io
import random
from datetime import timedelta

from django.utils import timezone

from bodymap.accounts.models import Membership, Role
from bodymap.billing import actions
from bodymap.billing.models import BillingSettings, Invoice, LineKind, PaymentMethod, ServiceBilling
from bodymap.booking.models import Appointment, AppointmentStatus, Service

POLICY = (
    "Please give us 24 hours' notice to cancel or move an appointment. Appointments cancelled with "
    "less notice, and missed appointments, are charged 50% of the fee. Fees are the same however "
    "you pay."
)
REGISTRATION = {"maya": "U1234", "daniel": "U5678"}


def _signature_png(name: str) -> bytes:
    """A drawn-looking signature: the name in a slanted hand-drawn line, for the demo only."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 110), "white")
    pen = ImageDraw.Draw(image)
    points = [(20 + i * 8, 60 + (18 if i % 3 == 0 else -14 if i % 3 == 1 else 4)) for i in range(38)]
    pen.line(points, fill=(20, 30, 90), width=3)
    pen.text((24, 86), name, fill=(20, 30, 90))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def load(practice, today, seed=2026):
    rng = random.Random(seed)  # noqa: S311 - reproducible fiction, not security
    BillingSettings.objects.update_or_create(
        practice=practice,
        defaults={
            "currency": "CAD",
            "tax_name": "HST",
            "tax_number": "81234 5678 RT0001",
            "tax_rate_bp": 1300,
            "cancellation_policy": POLICY,
        },
    )
    services = {s.name: s for s in Service.objects.filter(practice=practice)}
    for service in services.values():
        ServiceBilling.objects.create(service=service, taxable=True, is_massage_therapy=True)
    owner = Membership.objects.get(practice=practice, role=Role.OWNER)
    desk = Membership.objects.filter(practice=practice, role=Role.FRONT_DESK).first() or owner
    for member in Membership.objects.therapists().filter(practice=practice).select_related("user"):
        first = member.user.full_name.split()[0].lower()
        actions.save_profile(
            membership=member,
            actor=member,
            designation="RMT",
            regulator="College of Massage Therapists of Ontario",
            registration_number=REGISTRATION.get(first, "U9999"),
            signature=_signature_png(member.user.full_name),
        )

    now = timezone.now()
    completed = list(
        Appointment.objects.filter(practice=practice, status=AppointmentStatus.COMPLETED, start__lt=now)
        .select_related("client", "therapist__user", "practice")
        .order_by("start", "id")
    )
    month_ago = now - timedelta(days=31)
    for index, appointment in enumerate(completed):
        service = services.get(appointment.service_name)
        fee = int(service.price * 100) if service else 11000
        lines = [
            actions.LineInput(
                kind=LineKind.SERVICE,
                description=appointment.service_name,
                unit_cents=fee,
                taxable=True,
                posted_cents=fee,
            )
        ]
        if index % 17 == 5:
            lines.append(
                actions.LineInput(
                    kind=LineKind.PRODUCT, description="Arnica gel, 100 ml", unit_cents=1800, taxable=True
                )
            )
        invoice = actions.issue_invoice(appointment=appointment, actor=desk, lines=lines)
        recent = appointment.start >= now - timedelta(days=3)
        if recent and index % 2 == 0:
            continue  # unpaid: the client settles at the next visit
        paid_at = appointment.end + timedelta(minutes=5)
        method = rng.choice(
            [PaymentMethod.CARD_TERMINAL] * 3 + [PaymentMethod.E_TRANSFER, PaymentMethod.CASH]
        )
        if index % 11 == 3:
            # Part now in cash, the rest still owing.
            actions.record_payment(
                invoice=invoice,
                method=PaymentMethod.CASH,
                amount_cents=5000,
                actor_user=desk.user,
                received_at=paid_at,
            )
            continue
        actions.record_payment(
            invoice=invoice,
            method=method,
            amount_cents=invoice.total_cents,
            actor_user=desk.user,
            received_at=paid_at,
        )
        if index == 7:
            actions.refund_payment(
                invoice=invoice,
                method=method,
                amount_cents=invoice.total_cents,
                reason="Charged twice at the terminal; the second charge refunded",
                actor_user=owner.user,
            )
            actions.record_payment(
                invoice=invoice,
                method=method,
                amount_cents=invoice.total_cents,
                actor_user=desk.user,
                received_at=paid_at,
            )
        if appointment.start >= month_ago:
            actions.issue_receipt(invoice=invoice, actor_user=desk.user, email=False)
    _package(practice, completed, desk)
    _gift_card(practice, completed, desk)


def _package(practice, completed, desk):
    """A package of five sessions bought by a client, the first used on her latest unpaid treatment."""
    for appointment in reversed(completed):
        invoice = Invoice.objects.not_void().filter(appointment=appointment).first()
        if invoice is None or appointment.service is None or actions.state_of(invoice).net_paid:
            continue
        fee = int(appointment.service.price * 100)
        package = actions.sell_package(
            client=appointment.client,
            service=appointment.service,
            sessions=5,
            price_cents=fee * 9 // 2,  # five sessions for the price of four and a half
            method=PaymentMethod.CARD_TERMINAL,
            expires_on=actions.practice_today(practice) + timedelta(days=180),
            actor_user=desk.user,
        )
        actions.record_payment(
            invoice=invoice,
            method=PaymentMethod.PACKAGE,
            amount_cents=0,
            package_id=package.public_id,
            actor_user=desk.user,
        )
        return


def _gift_card(practice, completed, desk):
    """A gift card bought for a client, half spent on her latest unpaid treatment."""
    card = actions.sell_gift_card(
        practice=practice,
        amount_cents=20000,
        method=PaymentMethod.CARD_TERMINAL,
        purchaser_name="Jordan Okafor",
        recipient_name="Mei Chen",
        actor_user=desk.user,
    )
    for appointment in reversed(completed):
        invoice = Invoice.objects.not_void().filter(appointment=appointment).first()
        if invoice is not None and actions.state_of(invoice).net_paid == 0:
            actions.record_payment(
                invoice=invoice,
                method=PaymentMethod.GIFT_CARD,
                amount_cents=min(invoice.total_cents, 10000),
                gift_card_code=card.code,
                actor_user=desk.user,
            )
            return
