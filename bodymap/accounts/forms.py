from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from bodymap.accounts.models import Practice, Role
from bodymap.timezones import zone_choices
from bodymap.widgets import TelInput


class StaffLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That email and password do not match an account. Check both and try again."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class PracticeSettingsForm(forms.ModelForm):
    class Meta:
        model = Practice
        fields = [
            "name",
            "timezone",
            "email",
            "phone",
            "address",
            "confirm_consent_each_treatment",
            "unsigned_note_days",
            "require_two_factor",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "phone": TelInput(),
        }
        help_texts = {
            "confirm_consent_each_treatment": _(
                "Recommended, and required in Ontario (College of Massage Therapists of Ontario). The client "
                "signs their answer for each sensitive area at the start of every appointment; until then, "
                "those areas stay off the plan."
            ),
            "require_two_factor": _(
                "Everyone on the staff then signs in with a code from an authenticator app as well as "
                "their password. Owners always do."
            ),
            "timezone": _("Every time in Bodymap is shown in this zone."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["timezone"]
        choices = zone_choices()
        current = self.instance.timezone
        if current and current not in dict(choices):
            choices.insert(0, (current, current))  # an old alias stays as it is until changed
        # A list, not free text: a typo would otherwise be found only on saving.
        self.fields["timezone"] = forms.TypedChoiceField(
            label=field.label,
            help_text=field.help_text,
            choices=choices,
            validators=field.validators,
            error_messages={"invalid_choice": _("Choose a time zone from the list.")},
        )


class InviteStaffForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.THERAPIST)
    treats = forms.BooleanField(
        label=_("Also treats clients"),
        required=False,
        help_text=_(
            "For a co-owner who is also a therapist. Therapists always treat; front desk never does."
        ),
    )

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())
