from django import forms
from django.utils.translation import gettext_lazy as _

from bodymap import knowledge
from bodymap.consent.forms import is_minor
from bodymap.intake.forms import CONSENT_CHOICES


class SessionConsentForm(forms.Form):
    """Consent for sensitive regions, confirmed with the client at the start of an appointment."""

    signature = forms.CharField(
        label=_("Hand the device to the client: they type their own full name to sign"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, standing: dict, client=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.minor = client is not None and is_minor(client)
        if self.minor:
            self.fields["signature"].label = _("The parent or guardian types their own full name to sign")
        names = {r["id"]: r["name"] for r in knowledge.regions()}
        for region in knowledge.sensitive_regions():
            current = standing.get(region)
            initial = current.decision if current is not None and current.state != "not_asked" else None
            self.fields[region] = forms.ChoiceField(
                label=names[region].capitalize(),
                choices=CONSENT_CHOICES,
                widget=forms.RadioSelect,
                initial=initial,
                error_messages={"required": _("Ask the client and choose an answer.")},
            )
        self.order_fields([*knowledge.sensitive_regions(), "signature"])

    def clean_signature(self):
        """The client's own signature, not the therapist's: it must carry the client's last name
        (for a client under 16, a parent or guardian's first and last name)."""
        signature = " ".join(self.cleaned_data["signature"].split())
        if self.client is None:
            return signature
        if self.minor:
            if len(signature.split()) < 2:
                raise forms.ValidationError(_("The parent or guardian types their first and last name."))
        elif self.client.last_name.casefold() not in signature.casefold():
            raise forms.ValidationError(
                _("The client types their own full name, including %(last)s.")
                % {"last": self.client.last_name}
            )
        return signature

    @property
    def guardian(self) -> str:
        return self.cleaned_data["signature"] if self.minor else ""

    def decisions(self) -> dict:
        return {region: self.cleaned_data[region] for region in knowledge.sensitive_regions()}

    def region_fields(self):
        return [self[region] for region in knowledge.sensitive_regions()]


class CheckInForm(forms.Form):
    """During a session: the client asks to stop work on a region."""

    region = forms.ChoiceField(label=_("Stop work on"))
    note = forms.CharField(
        label=_("What the client said"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. client asked to stop gluteal work")}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = {r["id"]: r["name"] for r in knowledge.regions()}
        self.fields["region"].choices = [(r, names[r].capitalize()) for r in knowledge.sensitive_regions()]
