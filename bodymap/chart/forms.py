from django import forms
from django.utils.translation import gettext_lazy as _

from bodymap import knowledge
from bodymap.intake.forms import CONSENT_CHOICES


class SessionConsentForm(forms.Form):
    """Consent for sensitive regions, confirmed with the client at the start of an appointment."""

    signature = forms.CharField(label=_("Client types their full name"), max_length=200)

    def __init__(self, *args, standing: dict, **kwargs):
        super().__init__(*args, **kwargs)
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
