"""Fees, invoices, payments and receipts.

Issued invoices, their lines, payments, credit notes, voids, receipts, staff signatures, gift cards,
packages, their ledgers and what Stripe reported are append-only: the database refuses UPDATE and
DELETE (migrations 0002, 0004, 0006). A correction is a new row — a credit note, a refund, a void or
a write-off with its reason — so the financial record per client stays whole.
Amounts are integer cents. As with consent, their links to people and appointments carry no
database constraint, so that a test run or a data export may empty other tables around them; the
ORM still refuses to delete anything they point at (PROTECT).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BillingSettings(models.Model):
    """A practice's currency, tax registration and the cancellation policy it tells clients."""

    practice = models.OneToOneField(
        "accounts.Practice", on_delete=models.CASCADE, related_name="billing_settings"
    )
    currency = models.CharField(_("currency"), max_length=3, default="CAD")
    tax_name = models.CharField(_("tax name"), max_length=20, blank=True, default="HST")
    tax_number = models.CharField(_("tax registration number"), max_length=40, blank=True)
    # Hundredths of a percent: 1300 is 13 %. Zero means the practice charges no tax.
    tax_rate_bp = models.PositiveIntegerField(_("tax rate (hundredths of a percent)"), default=0)
    cancellation_policy = models.TextField(_("cancellation and no-show policy"), blank=True)
    next_invoice_number = models.PositiveIntegerField(default=1)
    next_receipt_number = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "billing settings"
        constraints = [
            models.CheckConstraint(condition=Q(tax_rate_bp__lte=5000), name="billing_tax_rate_sane"),
            # A practice that charges tax must show its registration number on every receipt.
            models.CheckConstraint(
                condition=Q(tax_rate_bp=0) | ~Q(tax_number=""), name="billing_tax_needs_number"
            ),
        ]

    def __str__(self):
        return f"Billing settings of {self.practice}"

    @property
    def tax_rate_percent(self):
        from decimal import Decimal

        return (Decimal(self.tax_rate_bp) / 100).normalize()


class ServiceBilling(models.Model):
    """How a service is billed: taxable or not, and whether it is massage therapy (receipts say
    "Massage Therapy treatment" only for services within the scope of practice)."""

    service = models.OneToOneField("booking.Service", on_delete=models.CASCADE, related_name="billing")
    taxable = models.BooleanField(_("taxable"), default=False)
    is_massage_therapy = models.BooleanField(_("within the scope of massage therapy"), default=True)

    def __str__(self):
        return f"Billing of {self.service}"


class TherapistFee(models.Model):
    """A therapist's own posted fee for a service, where it differs from the service's price."""

    service = models.ForeignKey("booking.Service", on_delete=models.CASCADE, related_name="therapist_fees")
    therapist = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="fees")
    amount_cents = models.PositiveIntegerField(_("fee (cents)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "therapist"], name="therapist_fee_once"),
        ]

    def __str__(self):
        return f"{self.therapist} · {self.service}: {self.amount_cents}"


class StaffProfile(models.Model):
    """What a receipt needs to know about the therapist who gave the treatment."""

    membership = models.OneToOneField(
        "accounts.Membership", on_delete=models.CASCADE, related_name="billing_profile"
    )
    designation = models.CharField(_("professional designation"), max_length=40, blank=True)
    regulator = models.CharField(_("regulator"), max_length=120, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Profile of {self.membership}"


class StaffSignature(models.Model):
    """One version of a therapist's signature image. A new signature is a new row; receipts keep
    pointing at the one they were signed with."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, db_constraint=False, related_name="signatures"
    )
    image = models.BinaryField()
    content_type = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Signature of {self.membership} from {self.created_at:%Y-%m-%d}"


class InvoiceKind(models.TextChoices):
    APPOINTMENT = "appointment", _("Issued on completion")
    # Issued before the appointment so that a deposit could be taken on it.
    DEPOSIT = "deposit", _("Issued ahead for a deposit")


class InvoiceQuerySet(models.QuerySet):
    # Written with Exists rather than the reverse relation so the queries hold in any app registry.
    def _void(self):
        return models.Exists(InvoiceVoid.objects.filter(invoice=models.OuterRef("pk")))

    def with_void(self):
        return self.annotate(is_void=self._void())

    def not_void(self):
        return self.exclude(self._void())


class Invoice(models.Model):
    """An issued invoice. Never changed once written."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, db_constraint=False, related_name="invoices"
    )
    number = models.CharField(max_length=30)
    kind = models.CharField(max_length=20, choices=InvoiceKind.choices, default=InvoiceKind.APPOINTMENT)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, db_constraint=False, related_name="invoices"
    )
    appointment = models.ForeignKey(
        "booking.Appointment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="invoices",
    )
    therapist = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, db_constraint=False, related_name="invoices"
    )
    service_date = models.DateField()
    currency = models.CharField(max_length=3)
    tax_name = models.CharField(max_length=20, blank=True)
    tax_number = models.CharField(max_length=40, blank=True)
    tax_rate_bp = models.PositiveIntegerField(default=0)
    subtotal_cents = models.BigIntegerField()
    tax_cents = models.BigIntegerField()
    total_cents = models.BigIntegerField()
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["practice", "issued_at"]),
            models.Index(fields=["practice", "service_date"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["practice", "number"], name="invoice_number_once"),
            models.CheckConstraint(
                condition=Q(subtotal_cents__gte=0) & Q(tax_cents__gte=0),
                name="invoice_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(total_cents=F("subtotal_cents") + F("tax_cents")), name="invoice_total_adds_up"
            ),
        ]

    def __str__(self):
        return self.number


class LineKind(models.TextChoices):
    SERVICE = "service", _("Service")
    PRODUCT = "product", _("Product")
    SURCHARGE = "surcharge", _("Surcharge")
    DISCOUNT = "discount", _("Discount")


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    kind = models.CharField(max_length=20, choices=LineKind.choices)
    description = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField(default=1)
    unit_cents = models.BigIntegerField()
    # Signed: a discount is negative. Tax is computed on the taxable lines' sum.
    amount_cents = models.BigIntegerField()
    taxable = models.BooleanField(default=False)
    # For the service line: the posted fee, so a different charge shows with its reason.
    posted_cents = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    client_accepted = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_cents__gte=0), name="line_unit_not_negative"),
            models.CheckConstraint(
                condition=Q(kind="discount", amount_cents=-F("unit_cents") * F("quantity"))
                | (~Q(kind="discount") & Q(amount_cents=F("unit_cents") * F("quantity"))),
                name="line_amount_adds_up",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["discount", "surcharge"], reason=""),
                name="line_adjustment_has_reason",
            ),
            # A fee other than the posted one is explained and was accepted by the client beforehand.
            models.CheckConstraint(
                condition=Q(posted_cents__isnull=True)
                | Q(posted_cents=F("unit_cents"))
                | (Q(client_accepted=True) & ~Q(reason="")),
                name="line_fee_change_explained",
            ),
        ]

    def __str__(self):
        return self.description


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CARD_TERMINAL = "card_terminal", _("Card terminal")
    E_TRANSFER = "e_transfer", _("E-transfer")
    GIFT_CARD = "gift_card", _("Gift card")
    PACKAGE = "package", _("Package credit")
    # Paid by the client online through Stripe Checkout.
    ONLINE_CARD = "online_card", _("Card, online")


class PaymentKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    REFUND = "refund", _("Refund")


class Payment(models.Model):
    """Money received for an invoice, or given back (a refund). Never changed once written."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, db_constraint=False, related_name="payments"
    )
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=10, choices=PaymentKind.choices, default=PaymentKind.PAYMENT)
    method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    amount_cents = models.BigIntegerField()
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["practice", "received_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(kind="payment") | ~Q(reason=""), name="refund_has_reason"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount_cents} on {self.invoice}"


class CreditNote(models.Model):
    """Reduces what an invoice asks for, with the reason. The invoice itself stays as issued."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    amount_cents = models.BigIntegerField()
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="credit_note_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="credit_note_has_reason"),
        ]

    def __str__(self):
        return f"Credit {self.amount_cents} on {self.invoice}"


class InvoiceVoid(models.Model):
    """An invoice issued in error. Only an invoice with no money on it may be voided."""

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="void")
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="void_has_reason")]

    def __str__(self):
        return f"Void of {self.invoice}"


class Receipt(models.Model):
    """A receipt as issued: what it says is kept in `content`, so a re-issue (marked DUPLICATE with
    its own issue date) shows the same date, name and amount as the original."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, db_constraint=False, related_name="receipts"
    )
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="receipts")
    number = models.CharField(max_length=30)
    original = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    signature = models.ForeignKey(StaffSignature, on_delete=models.PROTECT, related_name="+")
    amount_cents = models.BigIntegerField()
    content = models.JSONField()
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )
    emailed_to = models.EmailField(blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="receipt_amount_positive"),
            models.UniqueConstraint(
                fields=["practice", "number"], condition=Q(original__isnull=True), name="receipt_number_once"
            ),
        ]

    def __str__(self):
        return self.number + (" (duplicate)" if self.original_id else "")

    @property
    def is_duplicate(self):
        return self.original_id is not None


class GiftCard(models.Model):
    """A gift card sold by the practice. Its balance is the sum of its ledger; the card itself and
    every entry are append-only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, db_constraint=False, related_name="gift_cards"
    )
    code = models.CharField(max_length=20, unique=True)
    purchaser_name = models.CharField(_("bought by"), max_length=200)
    recipient_name = models.CharField(_("for"), max_length=200, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self):
        return self.code


class GiftCardEntry(models.Model):
    """One movement on a gift card: money loaded when it is sold (positive), spent on an invoice
    (negative, linked to the payment)."""

    gift_card = models.ForeignKey(GiftCard, on_delete=models.PROTECT, related_name="entries")
    amount_cents = models.BigIntegerField()
    # How the buyer paid for a load; empty for a redemption.
    method = models.CharField(max_length=20, choices=PaymentMethod.choices, blank=True)
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="gift_card_entry"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(amount_cents__gt=0) & Q(payment__isnull=True) & ~Q(method=""))
                | (Q(amount_cents__lt=0) & Q(payment__isnull=False)),
                name="gift_card_entry_is_a_load_or_a_redemption",
            ),
        ]

    def __str__(self):
        return f"{self.amount_cents} on {self.gift_card}"


class Package(models.Model):
    """A number of sessions of one service, paid for ahead by one client, to use before it expires.
    What is left is the sum of its ledger; the package and every entry are append-only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, db_constraint=False, related_name="packages"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, db_constraint=False, related_name="packages"
    )
    service = models.ForeignKey(
        "booking.Service", on_delete=models.PROTECT, db_constraint=False, related_name="packages"
    )
    sessions = models.PositiveIntegerField(_("sessions"))
    price_cents = models.BigIntegerField(_("price (cents)"))
    expires_on = models.DateField(_("expires on"))
    sold_at = models.DateTimeField(default=timezone.now)
    sold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )

    class Meta:
        ordering = ["-sold_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(sessions__gte=1), name="package_has_sessions"),
            models.CheckConstraint(condition=Q(price_cents__gt=0), name="package_price_positive"),
        ]

    def __str__(self):
        return f"{self.sessions} × {self.service_id} for {self.client_id}"


class PackageEntryKind(models.TextChoices):
    SOLD = "sold", _("Sold")
    REDEEMED = "redeemed", _("Redeemed")
    EXPIRED = "expired", _("Expired")
    VOIDED = "voided", _("Voided")


class PackageEntry(models.Model):
    """One movement on a package: its sessions and their value added when it is sold, one session
    used at checkout (linked to the payment it made), or what was left written off when it expired
    or was voided (with the reason)."""

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=10, choices=PackageEntryKind.choices)
    sessions = models.IntegerField()
    # The value those sessions carry: the price paid when sold, a session's share when used.
    amount_cents = models.BigIntegerField()
    # How the client paid for the package; empty otherwise.
    method = models.CharField(max_length=20, choices=PaymentMethod.choices, blank=True)
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="package_entry"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="sold", sessions__gt=0, amount_cents__gt=0, payment__isnull=True) & ~Q(method="")
                )
                | Q(kind="redeemed", sessions=-1, amount_cents__lte=0, payment__isnull=False, method="")
                | (
                    Q(kind__in=["expired", "voided"], sessions__lt=0, amount_cents__lte=0)
                    & Q(payment__isnull=True, method="")
                    & ~Q(reason="")
                ),
                name="package_entry_is_a_sale_a_use_or_a_write_off",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.sessions} on package {self.package_id}"


class OnlineCheckout(models.Model):
    """A Stripe Checkout Session opened for a client to pay what an invoice still asks for."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="online_checkouts")
    session_id = models.CharField(max_length=255, unique=True)
    amount_cents = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="checkout_amount_positive")
        ]

    def __str__(self):
        return self.session_id


class OnlineEventOutcome(models.TextChoices):
    RECORDED = "recorded", _("Payment recorded")
    # The card was charged but the invoice no longer owed that much: the owner refunds it in Stripe.
    REFUSED = "refused", _("Refused: refund it in Stripe")
    IGNORED = "ignored", _("Nothing to record")


class OnlineEvent(models.Model):
    """A webhook event from Stripe, kept once: a replay of the same event, or a second event about
    the same checkout, finds its row and changes nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    event_type = models.CharField(max_length=100)
    checkout = models.ForeignKey(
        OnlineCheckout, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    outcome = models.CharField(max_length=10, choices=OnlineEventOutcome.choices)
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="online_event"
    )
    detail = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # One payment per checkout, whichever of Stripe's events announces it first.
            models.UniqueConstraint(
                fields=["checkout"], condition=~Q(outcome="ignored"), name="online_checkout_settled_once"
            ),
            models.CheckConstraint(
                condition=Q(outcome="recorded", payment__isnull=False)
                | (~Q(outcome="recorded") & Q(payment__isnull=True)),
                name="online_event_payment_when_recorded",
            ),
        ]

    def __str__(self):
        return self.event_id
