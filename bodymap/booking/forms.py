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


class StaffAppointmentForm(forms.Form):
    client = forms.ModelChoiceField(queryset=None, label=_("Client"), empty_label=_("Choose a client"))
    service = forms.ModelChoiceField(queryset=None, label=_("Service"), empty_label=_("Choose a service"))
    therapist = forms.ModelChoiceField(queryset=None, label=_("Therapist"), empty_label=None)
    date = badinput.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time", "step": 300}))

    def __init__(self, *args, clients, services, therapists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients
        self.fields["service"].queryset = services
        self.fields["therapist"].queryset = therapists
        self.fields["therapist"].label_from_instance = lambda m: m.display_name
        self.fields["client"].label_from_instance = lambda c: c.display_name

    def clean(self):
        data = super().clean()
        service, therapist = data.get("service"), data.get("therapist")
        if service and therapist and not service.therapists.filter(pk=therapist.pk).exists():
            self.add_error("service", _("This therapist does not offer this service."))
        return data


class MoveForm(forms.Form):
    therapist = forms.ModelChoiceField(queryset=None, label=_("Therapist"), empty_label=None)
    date = badinput.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time", "step": 300}))

    def __init__(self, *args, therapists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["therapist"].queryset = therapists
        self.fields["therapist"].label_from_instance = lambda m: m.display_name


def _check_days(form, data):
    """The days a waitlisted client would take: from today, in order, within the booking horizon."""
    earliest, latest = data.get("earliest"), data.get("latest")
    if earliest and earliest < form.today:
        form.add_error("earliest", _("Choose today or a later day."))
    if earliest and latest and latest < earliest:
        form.add_error("latest", _("Choose a day on or after the first day."))
    if latest and (latest - form.today).days > form.horizon_days:
        form.add_error(
            "latest",
            _("Bookings open %(days)d days ahead: choose an earlier day.") % {"days": form.horizon_days},
        )


class WaitlistForm(forms.Form):
    """Which service, with whom, and the days that would suit."""

    service = forms.ModelChoiceField(
        queryset=None, label=_("Service"), empty_label=_("Choose a service"), to_field_name="public_id"
    )
    therapist = forms.ModelChoiceField(
        queryset=None,
        label=_("Therapist"),
        required=False,
        empty_label=_("Anyone"),
        to_field_name="public_id",
    )
    earliest = badinput.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    latest = badinput.DateField(
        label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, services, therapists, clients=None, today, horizon_days, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.horizon_days = today, horizon_days
        self.fields["service"].queryset = services
        self.fields["therapist"].queryset = therapists
        self.fields["therapist"].label_from_instance = lambda m: m.display_name
        if clients is not None:
            # Staff add a client; the portal and the public page add the client they are.
            self.fields = {
                "client": forms.ModelChoiceField(
                    queryset=clients,
                    label=_("Client"),
                    empty_label=_("Choose a client"),
                    to_field_name="public_id",
                ),
                **self.fields,
            }
            self.fields["client"].label_from_instance = lambda c: c.display_name

    def clean(self):
        data = super().clean()
        service, therapist = data.get("service"), data.get("therapist")
        if service and therapist and not service.therapists.filter(pk=therapist.pk).exists():
            self.add_error("therapist", _("This therapist does not offer this service."))
        _check_days(self, data)
        return data


class PublicWaitlistForm(ClientDetailsForm):
    earliest = badinput.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    latest = badinput.DateField(
        label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, today, horizon_days, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.horizon_days = today, horizon_days

    def clean(self):
        data = super().clean()
        _check_days(self, data)
        return data
