from django import forms
from django.utils.translation import gettext_lazy as _

from bodymap.safety.models import Outcome


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What was done"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what was done.")},
    )
    note = forms.CharField(
        label=_("Note (who you spoke to, what they said, what happens next)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", _("Say what was done."))
        return data
