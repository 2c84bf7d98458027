"""Forms of the desk: booking a caller (an existing client or a new one) and giving a reason."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bodymap import badinput
from bodymap.clients.forms import clean_phone
from bodymap.clients.models import Client

NEW = "new"


class NewClientForm(forms.ModelForm):
    """A caller who is not on file yet: enough to book and to send the intake link."""

    class Meta:
        model = Client
        fields = ["first_name", "last_name", "email", "phone"]

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])


class DeskBookingForm(forms.Form):
    # A client's public id, or "new" for the caller typed in below the search results.
    client = forms.CharField(required=False)
    service = forms.ModelChoiceField(
        queryset=None, label=_("Service"), empty_label=_("Choose a service"), to_field_name="public_id"
    )
    therapist = forms.ModelChoiceField(
        queryset=None, label=_("Therapist"), empty_label=None, to_field_name="public_id"
    )
    date = badinput.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(required=False, label=_("Free times"))
    other_time = forms.TimeField(
        required=False,
        label=_("Another time"),
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}),
        help_text=_("Outside the free times only with a reason."),
    )
    outside_hours_reason = forms.CharField(
        required=False,
        max_length=300,
        label=_("Why book outside working hours?"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, clients, services, therapists, **kwargs):
        super().__init__(*args, **kwargs)
        self.clients = clients
        self.fields["service"].queryset = services
        self.fields["therapist"].queryset = therapists
        self.fields["therapist"].label_from_instance = lambda m: m.display_name

    def clean_client(self):
        value = self.cleaned_data["client"].strip()
        if value == NEW:
            return NEW
        try:
            client = self.clients.filter(public_id=value).first() if value else None
        except forms.ValidationError:
            client = None
        except ValueError:  # not a UUID
            client = None
        if client is None:
            raise forms.ValidationError(_("Find the client by name, or choose “New client”."))
        return client

    def clean(self):
        data = super().clean()
        service, therapist = data.get("service"), data.get("therapist")
        if service and therapist and not service.therapists.filter(pk=therapist.pk).exists():
            self.add_error("service", _("This therapist does not offer this service."))
        data["start_time"] = data.get("other_time") or data.get("time")
        if data["start_time"] is None and "other_time" not in self.errors:
            self.add_error("time", _("Choose one of the free times, or type another time."))
        data["outside_hours_reason"] = " ".join(data.get("outside_hours_reason", "").split())
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        error_messages={"required": _("Give the reason: it is kept with the appointment.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class MoveForm(forms.Form):
    """Where an appointment goes: a therapist, a date and a time; a reason when outside hours."""

    therapist = forms.ModelChoiceField(
        queryset=None, label=_("Therapist"), empty_label=None, to_field_name="public_id"
    )
    date = badinput.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time", "step": 300}))
    outside_hours_reason = forms.CharField(
        required=False,
        max_length=300,
        label=_("Why move it outside working hours?"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, therapists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["therapist"].queryset = therapists
        self.fields["therapist"].label_from_instance = lambda m: m.display_name

    def clean_outside_hours_reason(self):
        return " ".join(self.cleaned_data["outside_hours_reason"].split())
