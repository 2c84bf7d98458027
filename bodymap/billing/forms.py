import base64
import binascii

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bodymap.billing.models import BillingSettings, PackageEntryKind, PaymentMethod
from bodymap.billing.money import to_cents


class MoneyField(forms.CharField):
    """An amount typed as dollars and cents, returned as integer cents."""

    def __init__(self, *args, allow_zero=False, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault("max_length", 14)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        cents = to_cents(value)
        if cents == 0 and not self.allow_zero:
            raise ValidationError(_("Enter an amount greater than zero."))
        if cents > 10_000_000_00:
            raise ValidationError(_("That amount is too large."))
        return cents


DESK_METHODS = [
    (PaymentMethod.CASH, PaymentMethod.CASH.label),
    (PaymentMethod.CARD_TERMINAL, PaymentMethod.CARD_TERMINAL.label),
    (PaymentMethod.E_TRANSFER, PaymentMethod.E_TRANSFER.label),
]


class PaymentForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Method"),
        choices=[
            *DESK_METHODS,
            (PaymentMethod.GIFT_CARD, PaymentMethod.GIFT_CARD.label),
            (PaymentMethod.PACKAGE, PaymentMethod.PACKAGE.label),
        ],
    )
    amount = MoneyField(label=_("Amount"), required=False, help_text=_("Not needed for a package session."))
    gift_card_code = forms.CharField(label=_("Gift card code"), max_length=20, required=False)
    package = forms.ChoiceField(label=_("Package"), required=False, choices=[])
    reference = forms.CharField(label=_("Reference (optional)"), max_length=120, required=False)

    def __init__(self, *args, packages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["package"].choices = [("", "—")] + [(str(p.public_id), label) for p, label in packages]

    def clean(self):
        data = super().clean()
        method = data.get("method")
        if method == PaymentMethod.GIFT_CARD and not data.get("gift_card_code", "").strip():
            self.add_error("gift_card_code", _("Enter the code printed on the gift card."))
        if method == PaymentMethod.PACKAGE:
            if not data.get("package"):
                self.add_error("package", _("Choose the client's package."))
        elif method and not data.get("amount") and "amount" not in self.errors:
            self.add_error("amount", _("Enter the amount paid."))
        return data


class PackageForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=[])
    sessions = forms.IntegerField(label=_("Sessions"), min_value=1, max_value=100)
    price = MoneyField(label=_("Price of the package"))
    method = forms.ChoiceField(label=_("Paid by"), choices=DESK_METHODS)
    expires_on = forms.DateField(label=_("Expires on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(str(s.public_id), s.name) for s in services]


class ClosePackageForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Close as"),
        choices=[(PackageEntryKind.EXPIRED, _("Expired")), (PackageEntryKind.VOIDED, _("Void (owner)"))],
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class GiftCardForm(forms.Form):
    amount = MoneyField(label=_("Amount"))
    method = forms.ChoiceField(label=_("Paid by"), choices=DESK_METHODS)
    purchaser_name = forms.CharField(label=_("Bought by"), max_length=200)
    recipient_name = forms.CharField(label=_("For (optional)"), max_length=200, required=False)
    expires_on = forms.DateField(
        label=_("Expires on (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RefundForm(forms.Form):
    method = forms.ChoiceField(label=_("Refund by"), choices=DESK_METHODS)
    amount = MoneyField(label=_("Amount"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CreditNoteForm(forms.Form):
    amount = MoneyField(label=_("Amount"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class InvoiceForm(forms.Form):
    """The service at its fee (the posted fee unless a reason says otherwise) and optional extras."""

    fee = MoneyField(label=_("Fee for the service"), allow_zero=True)
    fee_reason = forms.CharField(
        label=_("Why the fee differs from the posted one"), max_length=300, required=False
    )
    client_accepted = forms.BooleanField(
        label=_("The client accepted this fee before the treatment"), required=False
    )
    product = forms.CharField(label=_("Product sold (optional)"), max_length=200, required=False)
    product_amount = MoneyField(label=_("Product price"), required=False)
    product_taxable = forms.BooleanField(label=_("Product is taxable"), required=False, initial=True)
    surcharge_amount = MoneyField(label=_("Surcharge (optional)"), required=False)
    surcharge_reason = forms.CharField(label=_("Reason for the surcharge"), max_length=300, required=False)
    discount_amount = MoneyField(label=_("Discount (optional)"), required=False)
    discount_reason = forms.CharField(label=_("Reason for the discount"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("product") and not data.get("product_amount"):
            self.add_error("product_amount", _("Enter the product's price."))
        if data.get("surcharge_amount") and not data.get("surcharge_reason", "").strip():
            self.add_error("surcharge_reason", _("Give the reason; it stays in the record."))
        if data.get("discount_amount") and not data.get("discount_reason", "").strip():
            self.add_error("discount_reason", _("Give the reason; it stays in the record."))
        reason = data.get("discount_reason", "").lower()
        if "prompt" in reason or "early payment" in reason:
            # The standard forbids lowering a fee for prompt payment.
            self.add_error("discount_reason", _("Fees may not be reduced for prompt payment."))
        return data


class ProfileForm(forms.Form):
    designation = forms.CharField(label=_("Professional designation"), max_length=40, help_text=_("e.g. RMT"))
    regulator = forms.CharField(
        label=_("Regulator"), max_length=120, help_text=_("e.g. College of Massage Therapists of Ontario")
    )
    registration_number = forms.CharField(label=_("Registration number"), max_length=40)
    signature = forms.FileField(
        label=_("Or upload a signature (PNG or JPEG image)"),
        required=False,
        help_text=_("Sign on white paper and photograph it."),
    )
    drawn_signature = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_drawn_signature(self):
        """The signature drawn on the page, sent as a PNG data address, as bytes."""
        value = self.cleaned_data["drawn_signature"].strip()
        if not value:
            return None
        prefix = "data:image/png;base64,"
        if not value.startswith(prefix) or len(value) > 500_000:
            raise ValidationError(_("The drawn signature could not be read; please draw it again."))
        try:
            return base64.b64decode(value[len(prefix) :], validate=True)
        except (ValueError, binascii.Error):
            raise ValidationError(_("The drawn signature could not be read; please draw it again.")) from None


class BillingSettingsForm(forms.ModelForm):
    tax_rate = forms.DecimalField(
        label=_("Tax rate (%)"), min_value=0, max_value=50, decimal_places=2, max_digits=5, initial=0
    )

    class Meta:
        model = BillingSettings
        fields = ["currency", "tax_name", "tax_number", "cancellation_policy"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tax_rate"].initial = self.instance.tax_rate_percent

    def clean_currency(self):
        value = self.cleaned_data["currency"].strip().upper()
        if len(value) != 3 or not value.isalpha():
            raise ValidationError(_("Use a three-letter currency code such as CAD."))
        return value

    def clean(self):
        data = super().clean()
        rate = data.get("tax_rate")
        if rate and not (data.get("tax_number") or "").strip():
            self.add_error("tax_number", _("A practice that charges tax shows its registration number."))
        return data

    def save(self, commit=True):
        self.instance.tax_rate_bp = int(self.cleaned_data["tax_rate"] * 100)
        return super().save(commit)


class ServiceFeeForm(forms.Form):
    price = MoneyField(label=_("Posted fee"), allow_zero=True)
    taxable = forms.BooleanField(label=_("Taxable"), required=False)
    is_massage_therapy = forms.BooleanField(label=_("Massage therapy"), required=False)
