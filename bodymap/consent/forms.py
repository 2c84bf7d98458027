"""Giving or changing consent for one region, signed by the client (or, under 16, a guardian)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bodymap.intake.forms import CONSENT_CHOICES

MINOR_AGE = 16


def is_minor(client, today=None) -> bool:
    dob = client.date_of_birth
    if dob is None:
        return False
    today = today or timezone.localdate()
    age = today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
    return age < MINOR_AGE


class RegionConsentForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=CONSENT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose yes, over the sheet only, or no.")},
    )
    signature = forms.CharField(
        label=_("Type your full name to sign"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.minor = is_minor(client)
        if self.minor:
            self.fields["signature"].label = _("Parent or guardian: type your full name to sign")
            self.fields["guardian_present"] = forms.BooleanField(
                label=_(
                    "I am the client's parent or guardian, and I will be in the room for work on this area."
                ),
                error_messages={"required": _("A parent or guardian must confirm this.")},
            )

    def clean_signature(self):
        signature = " ".join(self.cleaned_data["signature"].split())
        if not self.minor and self.client.last_name.casefold() not in signature.casefold():
            raise forms.ValidationError(
                _("Type your full name as the practice has it, including %(last)s.")
                % {"last": self.client.last_name}
            )
        if self.minor and len(signature.split()) < 2:
            raise forms.ValidationError(_("Type the parent or guardian's first and last name."))
        return signature

    @property
    def guardian(self) -> str:
        return self.cleaned_data["signature"] if self.minor else ""
