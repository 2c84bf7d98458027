import re

from django import forms
from django.utils.translation import gettext_lazy as _

from bodymap.access import keeps_clients_they_add
from bodymap.accounts.models import Membership
from bodymap.clients.models import Client
from bodymap.widgets import TelInput

PHONE_RE = re.compile(r"^\+?[0-9 ()\-.]{6,30}$")


def clean_phone(value: str) -> str:
    value = value.strip()
    if value and not PHONE_RE.match(value):
        raise forms.ValidationError(
            _("Enter a phone number using digits, spaces and + ( ) - only, e.g. +44 7700 900123.")
        )
    return value


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = [
            "first_name",
            "last_name",
            "preferred_name",
            "pronouns",
            "email",
            "phone",
            "date_of_birth",
            "address",
            "emergency_contact_name",
            "emergency_contact_phone",
            "assigned_therapist",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "address": forms.Textarea(attrs={"rows": 3}),
            # Staff type someone else's number here: the browser must not offer their own.
            "phone": TelInput(attrs={"autocomplete": "off"}),
            "emergency_contact_phone": TelInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        therapists = (
            Membership.objects.therapists()
            .filter(practice=membership.practice)
            .select_related("user")
            .order_by("user__full_name")
        )
        field = self.fields["assigned_therapist"]
        field.queryset = therapists
        field.label_from_instance = lambda m: m.display_name
        field.to_field_name = "public_id"
        field.empty_label = _("— not assigned —")
        if self.instance.assigned_therapist_id:
            # The field is keyed by public id; without this every save would look like a change.
            self.initial["assigned_therapist"] = self.instance.assigned_therapist.public_id
        if keeps_clients_they_add(membership):
            del self.fields["assigned_therapist"]
        for name in ("email", "phone", "emergency_contact_phone"):
            self.fields[name].widget.attrs.setdefault("autocomplete", "off")
        self.fields["email"].widget.attrs["inputmode"] = "email"

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def clean_email(self):
        # Several clients may share an address (a family); each stays a record of its own.
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean_emergency_contact_phone(self):
        return clean_phone(self.cleaned_data["emergency_contact_phone"])


class ClientSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label=_("Search"), strip=True)
    include_inactive = forms.BooleanField(required=False, label=_("Include archived"))
