from datetime import UTC, datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from bodymap import badinput
from bodymap.clients.forms import clean_phone


def parse_start(value: str) -> datetime:
    """An ISO-8601 time with its UTC offset; a time without one is ambiguous and refused."""
    try:
        start = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        raise forms.ValidationError(
            _("Enter the start as an ISO-8601 time with its offset, e.g. 2026-03-02T10:00:00-05:00.")
        ) from None
    if start.tzinfo is None or start.utcoffset() is None:
        raise forms.ValidationError(_("Give the start with its UTC offset, e.g. 2026-03-02T10:00:00-05:00."))
    badinput.check_in_range(start)
    try:
        start.astimezone(UTC)
    except OverflowError:  # the first or last day of the range, pushed past it by its offset
        raise forms.ValidationError(badinput.out_of_range_message()) from None
    return start


class ClientDetailsForm(forms.Form):
    """Who is booking. An email that matches a client proves nothing; see create_online_client."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        error_messages={"required": _("Enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter a valid email address."),
        },
        help_text=_("We send the confirmation here. If you have been before, use the same address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])


class BookingRequestForm(forms.Form):
    """The API's booking request, checked field by field so every problem gets its own message."""

    service = forms.SlugField(error_messages={"required": _("Choose a service.")})
    therapist = forms.SlugField(
        error_messages={"required": _("Choose a therapist, or 'any' for the first one free.")}
    )
    start = forms.CharField(error_messages={"required": _("Choose a start time.")})
    idempotency_key = forms.CharField(
        required=False,
        max_length=100,
        error_messages={"max_length": _("The idempotency key must be at most 100 characters.")},
    )

    def clean_start(self):
        return parse_start(self.cleaned_data["start"])
