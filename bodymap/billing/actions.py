"""Every write of money goes through these functions: each runs in one transaction, writes its
audit entry in it, and sends email only once the transaction has committed."""

import io
import secrets
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import BigIntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from bodymap.accounts.models import Membership
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.billing.models import (
    BillingSettings,
    CreditNote,
    GiftCard,
    GiftCardEntry,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceVoid,
    LineKind,
    Package,
    PackageEntry,
    PackageEntryKind,
    Payment,
    PaymentKind,
    PaymentMethod,
    Receipt,
    ServiceBilling,
    StaffProfile,
    StaffSignature,
    TherapistFee,
)
from bodymap.billing.money import fmt, tax_on
from bodymap.booking.models import Appointment, AppointmentStatus, Service

SIGNATURE_MAX_BYTES = 300_000


class BillingError(ValidationError):
    """A money rule refused the request; the message says which, for the person at the desk."""


def settings_for(practice) -> BillingSettings:
    found, _created = BillingSettings.objects.get_or_create(practice=practice)
    return found


def service_billing(service) -> ServiceBilling | None:
    if service is None:
        return None
    return ServiceBilling.objects.filter(service=service).first()


def posted_fee(service, therapist) -> int | None:
    """The fee the practice posts for this service with this therapist, in cents."""
    if service is None:
        return None
    own = TherapistFee.objects.filter(service=service, therapist=therapist).first()
    if own is not None:
        return own.amount_cents
    return int(service.price * 100)


# Staff profiles ------------------------------------------------------------------------------


def profile_for(membership: Membership) -> StaffProfile:
    found, _created = StaffProfile.objects.get_or_create(membership=membership)
    return found


def current_signature(membership: Membership) -> StaffSignature | None:
    return StaffSignature.objects.filter(membership=membership).order_by("-created_at", "-id").first()


def check_signature_image(data: bytes) -> str:
    """The image's content type if it is a PNG or JPEG Bodymap can print; otherwise a clear error."""
    if not data:
        raise BillingError(_("The signature image is empty."))
    if len(data) > SIGNATURE_MAX_BYTES:
        raise BillingError(_("The signature image is larger than 300 KB; use a smaller picture."))
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise BillingError(_("The signature must be a PNG or JPEG image.")) from None
    if kind not in ("PNG", "JPEG"):
        raise BillingError(_("The signature must be a PNG or JPEG image."))
    return "image/png" if kind == "PNG" else "image/jpeg"


@transaction.atomic
def save_profile(
    *, membership, actor, designation, regulator, registration_number, signature=None, request=None
):
    profile = profile_for(membership)
    profile.designation = designation.strip()
    profile.regulator = regulator.strip()
    profile.registration_number = registration_number.strip()
    profile.updated_at = timezone.now()
    profile.save()
    fields = ["designation", "regulator", "registration_number"]
    if signature:
        content_type = check_signature_image(signature)
        StaffSignature.objects.create(membership=membership, image=signature, content_type=content_type)
        fields.append("signature")
    record(
        actor=actor.user,
        practice=membership.practice,
        action=AuditAction.CHANGE,
        subject_type="staff_profile",
        subject_public_id=membership.public_id,
        request=request,
        fields=fields,
    )
    return profile


def missing_for_receipts(membership: Membership) -> list[str]:
    """What the therapist's profile still lacks before a receipt may carry their name."""
    profile = StaffProfile.objects.filter(membership=membership).first()
    missing = []
    if profile is None or not profile.designation:
        missing.append(str(_("professional designation")))
    if profile is None or not profile.registration_number:
        missing.append(str(_("registration number")))
    if current_signature(membership) is None:
        missing.append(str(_("signature")))
    return missing


# Invoices ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    kind: str
    description: str
    unit_cents: int
    quantity: int = 1
    taxable: bool = False
    reason: str = ""
    posted_cents: int | None = None
    client_accepted: bool = False


@dataclass(frozen=True)
class InvoiceState:
    total: int
    credited: int
    paid: int
    refunded: int
    voided: bool

    @property
    def net_paid(self) -> int:
        return self.paid - self.refunded

    @property
    def due(self) -> int:
        if self.voided:
            return 0
        return self.total - self.credited - self.net_paid

    @property
    def status(self) -> str:
        if self.voided:
            return str(_("Void"))
        if self.due == 0:
            return str(_("Paid"))
        if self.net_paid > 0:
            return str(_("Part paid"))
        return str(_("Unpaid"))


def state_of(invoice: Invoice) -> InvoiceState:
    payments = {
        row["kind"]: row["total"]
        for row in invoice.payments.values("kind").annotate(total=Sum("amount_cents")).order_by()
    }
    credited = invoice.credit_notes.aggregate(total=Sum("amount_cents"))["total"] or 0
    return InvoiceState(
        total=invoice.total_cents,
        credited=credited,
        paid=payments.get(PaymentKind.PAYMENT, 0),
        refunded=payments.get(PaymentKind.REFUND, 0),
        voided=InvoiceVoid.objects.filter(invoice=invoice).exists(),
    )


def default_lines(appointment: Appointment) -> list[LineInput]:
    """The service at its posted fee, taxed as the practice set it up."""
    fee = posted_fee(appointment.service, appointment.therapist)
    billing = service_billing(appointment.service)
    return [
        LineInput(
            kind=LineKind.SERVICE,
            description=appointment.service_name or str(appointment.service or _("Treatment")),
            unit_cents=fee or 0,
            taxable=bool(billing and billing.taxable),
            posted_cents=fee,
        )
    ]


def _next_number(practice, field: str, prefix: str) -> str:
    locked = BillingSettings.objects.select_for_update().get(pk=settings_for(practice).pk)
    number = getattr(locked, field)
    setattr(locked, field, number + 1)
    locked.save(update_fields=[field])
    return f"{prefix}-{number:06d}"


def _check_lines(lines: list[LineInput]):
    if not any(line.kind == LineKind.SERVICE for line in lines):
        raise BillingError(_("An invoice needs the service that was given."))
    for line in lines:
        if line.kind in (LineKind.DISCOUNT, LineKind.SURCHARGE) and not line.reason.strip():
            raise BillingError(_("Give the reason for each discount and surcharge; it stays in the record."))
        if line.posted_cents is not None and line.unit_cents != line.posted_cents:
            if not (line.reason.strip() and line.client_accepted):
                raise BillingError(
                    _(
                        "The fee differs from the posted %(posted)s: give the reason and confirm the "
                        "client accepted it before the treatment."
                    )
                    % {"posted": fmt(line.posted_cents)}
                )


@transaction.atomic
def issue_invoice(*, appointment: Appointment, actor: Membership, lines=None, deposit=False, request=None):
    """Issue the invoice for an appointment: when it is completed, or earlier so that a deposit can
    be taken on it. Either way it is the one invoice of that appointment; its receipt waits until the
    treatment has taken place and the invoice is paid in full."""
    locked = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("practice", "service")
        .get(pk=appointment.pk)
    )
    if deposit:
        if locked.status not in (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN):
            raise BillingError(_("A deposit is taken before the appointment."))
    elif locked.status != AppointmentStatus.COMPLETED:
        raise BillingError(_("Mark the appointment completed before invoicing it."))
    kind = InvoiceKind.DEPOSIT if deposit else InvoiceKind.APPOINTMENT
    open_same = Invoice.objects.not_void().filter(appointment=locked)
    if open_same.exists():
        raise BillingError(
            _("This appointment already has an invoice; correct it with a credit note or void it.")
        )
    lines = list(lines) if lines is not None else default_lines(locked)
    _check_lines(lines)
    conf = settings_for(locked.practice)
    subtotal = sum(_amount(line) for line in lines)
    taxable = sum(_amount(line) for line in lines if line.taxable)
    if subtotal < 0 or taxable < 0:
        raise BillingError(_("Discounts cannot exceed the charges."))
    tax = tax_on(taxable, conf.tax_rate_bp) if conf.tax_rate_bp else 0
    invoice = Invoice.objects.create(
        practice=locked.practice,
        number=_next_number(locked.practice, "next_invoice_number", "INV"),
        kind=kind,
        client_id=locked.client_id,
        appointment=locked,
        therapist_id=locked.therapist_id,
        service_date=locked.start.astimezone(ZoneInfo(locked.practice.timezone)).date(),
        currency=conf.currency,
        tax_name=conf.tax_name if tax else "",
        tax_number=conf.tax_number if tax else "",
        tax_rate_bp=conf.tax_rate_bp if tax else 0,
        subtotal_cents=subtotal,
        tax_cents=tax,
        total_cents=subtotal + tax,
        issued_by=actor.user,
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            kind=line.kind,
            description=line.description.strip()[:200],
            quantity=line.quantity,
            unit_cents=line.unit_cents,
            amount_cents=_amount(line),
            taxable=line.taxable,
            posted_cents=line.posted_cents,
            reason=line.reason.strip(),
            client_accepted=line.client_accepted,
            position=i,
        )
        for i, line in enumerate(lines)
    )
    _audit(actor.user, invoice, AuditAction.CREATE, request, total_cents=invoice.total_cents, kind=kind)
    return invoice


def _amount(line: LineInput) -> int:
    sign = -1 if line.kind == LineKind.DISCOUNT else 1
    return sign * line.unit_cents * line.quantity


def _audit(user, invoice, action, request, subject_type="invoice", subject=None, **details):
    record(
        actor=user,
        practice=invoice.practice,
        action=action,
        subject_type=subject_type,
        subject_public_id=(subject or invoice).public_id,
        request=request,
        invoice=str(invoice.public_id),
        **details,
    )


def _lock(invoice: Invoice) -> Invoice:
    # The row lock serialises payments on one invoice on PostgreSQL; SQLite's immediate
    # transactions already serialise every writer.
    return Invoice.objects.select_for_update(of=("self",)).select_related("practice").get(pk=invoice.pk)


@transaction.atomic
def record_payment(
    *,
    invoice,
    method,
    amount_cents,
    actor_user,
    reference="",
    request=None,
    received_at=None,
    gift_card_code="",
    package_id=None,
    actor_label=None,
):
    """Take a payment, part or whole. Never more than is due, however many desks pay at once; from
    a gift card, never more than is left on it; from a package, one of its sessions, which pays
    that session's share of the package's price (or what is due, if less)."""
    locked = _lock(invoice)
    if method not in PaymentMethod.values:
        raise BillingError(_("Choose how the client paid."))
    state = state_of(locked)
    if state.voided:
        raise BillingError(_("This invoice is void; nothing can be paid on it."))
    package = session_value = None
    if method == PaymentMethod.PACKAGE:
        package, session_value = _usable_package(locked, package_id)
        amount_cents = min(session_value, state.due)
    if amount_cents <= 0:
        raise BillingError(_("Enter an amount greater than zero."))
    if amount_cents > state.due:
        raise BillingError(
            _("That is more than the %(due)s still due.") % {"due": fmt(state.due, locked.currency)}
        )
    card = None
    if method == PaymentMethod.GIFT_CARD:
        card = _usable_gift_card(locked.practice, gift_card_code)
        left = gift_card_balance(card)
        if amount_cents > left:
            raise BillingError(
                _("Only %(left)s is left on this gift card.") % {"left": fmt(left, locked.currency)}
            )
        reference = card.code
    payment = Payment.objects.create(
        practice=locked.practice,
        invoice=locked,
        kind=PaymentKind.PAYMENT,
        method=method,
        amount_cents=amount_cents,
        reference=reference.strip()[:120],
        received_at=received_at or timezone.now(),
        recorded_by=actor_user,
    )
    if card is not None:
        GiftCardEntry.objects.create(
            gift_card=card, amount_cents=-amount_cents, payment=payment, created_by=actor_user
        )
    if package is not None:
        PackageEntry.objects.create(
            package=package,
            kind=PackageEntryKind.REDEEMED,
            sessions=-1,
            amount_cents=-session_value,
            payment=payment,
            created_by=actor_user,
        )
    record(
        actor=actor_user,
        actor_label=actor_label,
        practice=locked.practice,
        action=AuditAction.CREATE,
        subject_type="payment",
        subject_public_id=payment.public_id,
        request=request,
        invoice=str(locked.public_id),
        amount_cents=amount_cents,
        method=method,
    )
    return payment


@transaction.atomic
def refund_payment(*, invoice, method, amount_cents, reason, actor_user, request=None):
    locked = _lock(invoice)
    if method not in PaymentMethod.values:
        raise BillingError(_("Choose how the money goes back."))
    if not reason.strip():
        raise BillingError(_("Give the reason for the refund; it stays in the record."))
    if amount_cents <= 0:
        raise BillingError(_("Enter an amount greater than zero."))
    state = state_of(locked)
    if amount_cents > state.net_paid:
        raise BillingError(
            _("Only %(paid)s has been paid on this invoice.") % {"paid": fmt(state.net_paid, locked.currency)}
        )
    refund = Payment.objects.create(
        practice=locked.practice,
        invoice=locked,
        kind=PaymentKind.REFUND,
        method=method,
        amount_cents=amount_cents,
        reason=reason.strip()[:300],
        recorded_by=actor_user,
    )
    _audit(
        actor_user,
        locked,
        AuditAction.CREATE,
        request,
        "refund",
        refund,
        amount_cents=amount_cents,
        method=method,
    )
    return refund


@transaction.atomic
def add_credit_note(*, invoice, amount_cents, reason, actor_user, request=None):
    """Lower what an invoice asks for. To give back money already paid, refund it first."""
    locked = _lock(invoice)
    if not reason.strip():
        raise BillingError(_("Give the reason for the credit note; it stays in the record."))
    if amount_cents <= 0:
        raise BillingError(_("Enter an amount greater than zero."))
    state = state_of(locked)
    if state.voided:
        raise BillingError(_("This invoice is void."))
    if amount_cents > state.due:
        raise BillingError(
            _("A credit note can lower only what is still due (%(due)s); refund first.")
            % {"due": fmt(state.due, locked.currency)}
        )
    note = CreditNote.objects.create(
        invoice=locked, amount_cents=amount_cents, reason=reason.strip()[:300], created_by=actor_user
    )
    _audit(actor_user, locked, AuditAction.CREATE, request, "credit_note", note, amount_cents=amount_cents)
    return note


@transaction.atomic
def void_invoice(*, invoice, reason, actor_user, request=None):
    locked = _lock(invoice)
    if not reason.strip():
        raise BillingError(_("Give the reason for voiding the invoice; it stays in the record."))
    state = state_of(locked)
    if state.voided:
        raise BillingError(_("This invoice is already void."))
    if state.net_paid:
        raise BillingError(_("Refund what was paid before voiding the invoice."))
    if locked.receipts.exists():
        raise BillingError(_("A receipt was issued for this invoice; correct it with a credit note instead."))
    void = InvoiceVoid.objects.create(invoice=locked, reason=reason.strip()[:300], created_by=actor_user)
    _audit(actor_user, locked, AuditAction.CHANGE, request, status="void")
    return void


# Receipts ------------------------------------------------------------------------------------


def receipt_refusal(invoice: Invoice, now=None) -> str | None:
    """Why no receipt may be issued for this invoice now, or None if one may."""
    now = now or timezone.now()
    appointment = invoice.appointment
    if appointment is None:
        return str(_("Receipts are issued only for treatments."))
    if appointment.status != AppointmentStatus.COMPLETED or appointment.start > now:
        return str(_("Receipts are issued only for treatments that took place."))
    if appointment.client_id != invoice.client_id:
        return str(_("A receipt is issued only in the name of the client who was treated."))
    state = state_of(invoice)
    if state.voided:
        return str(_("This invoice is void."))
    if state.net_paid <= 0 or state.due != 0:
        return str(_("A receipt is issued once the invoice is paid in full."))
    missing = missing_for_receipts(invoice.therapist)
    if missing:
        return str(_("The therapist's profile lacks: %(what)s.") % {"what": ", ".join(missing)})
    conf = settings_for(invoice.practice)
    if invoice.tax_cents and not (invoice.tax_number or conf.tax_number):
        return str(_("Tax was charged, so the receipt needs the practice's tax registration number."))
    return None


def _content(invoice: Invoice, state: InvoiceState) -> dict:
    therapist = invoice.therapist
    profile = profile_for(therapist)
    client = invoice.client
    appointment = invoice.appointment
    service = appointment.service if appointment else None
    billing = service_billing(service)
    in_scope = billing.is_massage_therapy if billing else True
    practice = invoice.practice
    return {
        "practice_name": practice.name,
        "practice_address": practice.address,
        "practice_phone": practice.phone,
        "practice_email": practice.email,
        "client_name": client.full_name,
        "client_address": client.address,
        "therapist_name": therapist.user.full_name or therapist.user.email,
        "designation": profile.designation,
        "regulator": profile.regulator,
        "registration_number": profile.registration_number,
        "service_date": invoice.service_date.isoformat(),
        "treatment": "Massage Therapy treatment" if in_scope else "",
        "lines": [
            {"description": line.description, "amount_cents": line.amount_cents, "reason": line.reason}
            for line in invoice.lines.all()
        ],
        "minutes": appointment.minutes if appointment else None,
        "subtotal_cents": invoice.subtotal_cents,
        "tax_name": invoice.tax_name,
        "tax_number": invoice.tax_number,
        "tax_rate_bp": invoice.tax_rate_bp,
        "tax_cents": invoice.tax_cents,
        "credited_cents": state.credited,
        "total_cents": invoice.total_cents,
        "paid_cents": state.net_paid,
        "payments": [
            {"method": p.get_method_display(), "amount_cents": p.amount_cents, "kind": p.kind}
            for p in invoice.payments.all()
        ],
        "currency": invoice.currency,
        "invoice_number": invoice.number,
    }


def _email_on_commit(receipt: Receipt, to: str):
    from bodymap.billing.documents import receipt_pdf

    def send():
        message = EmailMessage(
            subject=_("Your receipt from %(practice)s") % {"practice": receipt.content["practice_name"]},
            body=_(
                "Hello %(name)s,\n\nYour receipt for your treatment on %(date)s is attached. You can also "
                "download it from your portal at any time.\n\n%(practice)s"
            )
            % {
                "name": receipt.content["client_name"],
                "date": receipt.content["service_date"],
                "practice": receipt.content["practice_name"],
            },
            to=[to],
        )
        message.attach(f"receipt-{receipt.number}.pdf", receipt_pdf(receipt), "application/pdf")
        message.send()

    transaction.on_commit(send)


@transaction.atomic
def issue_receipt(*, invoice, actor_user, request=None, email=True) -> Receipt:
    """The original receipt for a paid treatment: kept as issued, emailed to the client."""
    locked = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("practice", "client", "therapist__user", "appointment__service")
        .get(pk=invoice.pk)
    )
    refusal = receipt_refusal(locked)
    if refusal:
        raise BillingError(refusal)
    if locked.receipts.filter(original__isnull=True).exists():
        raise BillingError(_("A receipt was already issued; re-issue it as a duplicate instead."))
    state = state_of(locked)
    client_email = locked.client.email if email else ""
    receipt = Receipt.objects.create(
        practice=locked.practice,
        invoice=locked,
        number=_next_number(locked.practice, "next_receipt_number", "R"),
        signature=current_signature(locked.therapist),
        amount_cents=state.net_paid,
        content=_content(locked, state),
        issued_by=actor_user,
        emailed_to=client_email,
    )
    _audit(
        actor_user, locked, AuditAction.CREATE, request, "receipt", receipt, amount_cents=receipt.amount_cents
    )
    if client_email:
        _email_on_commit(receipt, client_email)
    return receipt


@transaction.atomic
def reissue_receipt(*, receipt: Receipt, actor_user, request=None, email=False) -> Receipt:
    """A lost receipt again, word for word, marked DUPLICATE with today's issue date."""
    original = receipt.original or receipt
    duplicate = Receipt.objects.create(
        practice=original.practice,
        invoice=original.invoice,
        number=original.number,
        original=original,
        signature=original.signature,
        amount_cents=original.amount_cents,
        content=original.content,
        issued_by=actor_user,
        emailed_to=original.invoice.client.email if email else "",
    )
    _audit(
        actor_user,
        original.invoice,
        AuditAction.CREATE,
        request,
        "receipt",
        duplicate,
        duplicate_of=str(original.public_id),
    )
    if duplicate.emailed_to:
        _email_on_commit(duplicate, duplicate.emailed_to)
    return duplicate


def audit_receipt_read(request, receipt: Receipt, via: str):
    from bodymap.audit.log import record_read

    record_read(
        request,
        practice=receipt.practice,
        subject_type="receipt",
        subject_public_id=receipt.public_id,
        action=AuditAction.EXPORT,
        via=via,
    )


# Gift cards ----------------------------------------------------------------------------------

# No 0/O or 1/I/L, so a code read aloud or copied from paper is not mistaken.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else raw


def gift_card_balance(card: GiftCard) -> int:
    return GiftCardEntry.objects.filter(gift_card=card).aggregate(total=Sum("amount_cents"))["total"] or 0


def _usable_gift_card(practice, code: str) -> GiftCard:
    # The row lock serialises spending from one card, as the invoice lock does for payments.
    card = GiftCard.objects.select_for_update().filter(practice=practice, code=normalise_code(code)).first()
    if card is None:
        raise BillingError(_("No gift card of this practice has that code."))
    today = timezone.now().astimezone(ZoneInfo(practice.timezone)).date()
    if card.expires_on and card.expires_on < today:
        raise BillingError(_("This gift card expired on %(date)s.") % {"date": card.expires_on.isoformat()})
    return card


@transaction.atomic
def sell_gift_card(
    *,
    practice,
    amount_cents,
    method,
    purchaser_name,
    actor_user,
    recipient_name="",
    expires_on=None,
    request=None,
) -> GiftCard:
    """A gift card paid for at the desk. The money is owed in treatments until the card is spent."""
    if method not in (PaymentMethod.CASH, PaymentMethod.CARD_TERMINAL, PaymentMethod.E_TRANSFER):
        raise BillingError(_("Choose how the buyer paid."))
    if amount_cents <= 0:
        raise BillingError(_("Enter an amount greater than zero."))
    if not purchaser_name.strip():
        raise BillingError(_("Enter the buyer's name."))
    card = GiftCard.objects.create(
        practice=practice,
        code=_new_code(),
        purchaser_name=purchaser_name.strip()[:200],
        recipient_name=recipient_name.strip()[:200],
        expires_on=expires_on,
        issued_by=actor_user,
    )
    GiftCardEntry.objects.create(
        gift_card=card, amount_cents=amount_cents, method=method, created_by=actor_user
    )
    record(
        actor=actor_user,
        practice=practice,
        action=AuditAction.CREATE,
        subject_type="gift_card",
        subject_public_id=card.public_id,
        request=request,
        amount_cents=amount_cents,
        method=method,
    )
    return card


# Packages ------------------------------------------------------------------------------------


def packages_with_balance(queryset):
    """Packages with what is left on each: sessions and their value, summed from the ledger.
    Written with subqueries rather than the reverse relation so the query holds in any app registry."""

    def total(field):
        entries = (
            PackageEntry.objects.filter(package=OuterRef("pk"))
            .values("package")
            .annotate(total=Sum(field))
            .values("total")[:1]
        )
        return Coalesce(Subquery(entries, output_field=BigIntegerField()), 0)

    balance = {"sessions_left": total("sessions"), "value_left": total("amount_cents")}
    return queryset.annotate(**balance).select_related("client", "service")


def practice_services(practice):
    return Service.objects.filter(practice=practice, is_active=True).order_by("name", "id")


@dataclass(frozen=True)
class PackageState:
    sessions_left: int
    value_left: int  # cents still owed in treatments
    closed: bool  # expired or voided in the ledger


def package_state(package: Package) -> PackageState:
    totals = PackageEntry.objects.filter(package=package).aggregate(
        sessions=Sum("sessions"), value=Sum("amount_cents")
    )
    closed = PackageEntry.objects.filter(
        package=package, kind__in=[PackageEntryKind.EXPIRED, PackageEntryKind.VOIDED]
    ).exists()
    return PackageState(totals["sessions"] or 0, totals["value"] or 0, closed)


def practice_today(practice):
    return timezone.now().astimezone(ZoneInfo(practice.timezone)).date()


def _session_value(state: PackageState) -> int:
    """One session's share of what is left, so the shares of all sessions add up to the price
    exactly: the last session takes the remainder of the division."""
    return state.value_left // state.sessions_left


def _usable_package(invoice: Invoice, package_id) -> tuple[Package, int]:
    """The invoice's client's own package for the invoice's service, still in date, with a session
    left, locked so that two desks cannot use its last session twice."""
    try:
        public_id = uuid.UUID(str(package_id))
    except ValueError:
        raise BillingError(_("Choose one of this client's packages.")) from None
    package = (
        Package.objects.select_for_update()
        .filter(practice=invoice.practice, client_id=invoice.client_id, public_id=public_id)
        .first()
    )
    if package is None:
        raise BillingError(_("Choose one of this client's packages."))
    service_id = invoice.appointment.service_id if invoice.appointment_id else None
    if package.service_id != service_id:
        raise BillingError(_("This package is for another service."))
    if package.expires_on < practice_today(invoice.practice):
        raise BillingError(_("This package expired on %(date)s.") % {"date": package.expires_on.isoformat()})
    state = package_state(package)
    if state.closed or state.sessions_left < 1:
        raise BillingError(_("No sessions are left on this package."))
    if PackageEntry.objects.filter(
        package__practice=invoice.practice, payment__invoice=invoice, kind=PackageEntryKind.REDEEMED
    ).exists():
        raise BillingError(_("A package session was already used for this appointment."))
    return package, _session_value(state)


@transaction.atomic
def sell_package(
    *, client, service, sessions, price_cents, method, expires_on, actor_user, request=None
) -> Package:
    """Sessions paid for ahead at the desk. The money is owed in treatments until they are used."""
    if method not in (PaymentMethod.CASH, PaymentMethod.CARD_TERMINAL, PaymentMethod.E_TRANSFER):
        raise BillingError(_("Choose how the client paid."))
    if sessions < 1 or price_cents <= 0:
        raise BillingError(_("A package has at least one session and a price."))
    if service is None or service.practice_id != client.practice_id:
        raise BillingError(_("Choose one of the practice's services."))
    if expires_on <= practice_today(client.practice):
        raise BillingError(_("The expiry date must be after today."))
    package = Package.objects.create(
        practice=client.practice,
        client=client,
        service=service,
        sessions=sessions,
        price_cents=price_cents,
        expires_on=expires_on,
        sold_by=actor_user,
    )
    PackageEntry.objects.create(
        package=package,
        kind=PackageEntryKind.SOLD,
        sessions=sessions,
        amount_cents=price_cents,
        method=method,
        created_by=actor_user,
    )
    record(
        actor=actor_user,
        practice=client.practice,
        action=AuditAction.CREATE,
        subject_type="package",
        subject_public_id=package.public_id,
        request=request,
        client=str(client.public_id),
        sessions=sessions,
        amount_cents=price_cents,
        method=method,
    )
    return package


@transaction.atomic
def close_package(*, package, kind, reason, actor_user, request=None) -> PackageEntry:
    """Write off what is left on a package: once it has expired, or voided with the owner's reason.
    The client's used sessions stay in the ledger as they were."""
    locked = Package.objects.select_for_update().select_related("practice").get(pk=package.pk)
    if kind not in (PackageEntryKind.EXPIRED, PackageEntryKind.VOIDED):
        raise BillingError(_("A package is closed as expired or void."))
    if kind == PackageEntryKind.EXPIRED:
        if locked.expires_on >= practice_today(locked.practice):
            raise BillingError(_("This package is still in date."))
        reason = reason.strip() or str(_("Expired on %(date)s") % {"date": locked.expires_on.isoformat()})
    if not reason.strip():
        raise BillingError(_("Give the reason; it stays in the record."))
    state = package_state(locked)
    if state.closed:
        raise BillingError(_("This package is already closed."))
    if state.sessions_left < 1:
        raise BillingError(_("Every session of this package was used."))
    entry = PackageEntry.objects.create(
        package=locked,
        kind=kind,
        sessions=-state.sessions_left,
        amount_cents=-state.value_left,
        reason=reason.strip()[:300],
        created_by=actor_user,
    )
    record(
        actor=actor_user,
        practice=locked.practice,
        action=AuditAction.CHANGE,
        subject_type="package",
        subject_public_id=locked.public_id,
        request=request,
        status=kind,
        sessions=state.sessions_left,
    )
    return entry
