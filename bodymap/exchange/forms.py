from django import forms
from django.utils.translation import gettext_lazy as _

from bodymap.exchange.importing import APPOINTMENTS, CLIENTS


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The file holds"),
        choices=[(CLIENTS, _("Clients")), (APPOINTMENTS, _("Past appointments"))],
        initial=CLIENTS,
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Saved as CSV from your current system or a spreadsheet; up to 5 MB."),
    )


class MappingForm(forms.Form):
    """One choice per field: which column of the file holds it."""

    def __init__(self, *args, fields, header, **kwargs):
        super().__init__(*args, **kwargs)
        columns = [("", _("(not in this file)"))] + [
            (str(i), name or f"#{i + 1}") for i, name in enumerate(header)
        ]
        for name, label in fields.items():
            self.fields[f"col_{name}"] = forms.ChoiceField(label=label, choices=columns, required=False)

    def mapping(self) -> dict[str, int]:
        return {
            name.removeprefix("col_"): int(value)
            for name, value in self.cleaned_data.items()
            if value not in ("", None)
        }


class RetentionRuleForm(forms.ModelForm):
    class Meta:
        from bodymap.exchange.models import RetentionRule

        model = RetentionRule
        fields = ["years_after_last_visit", "age_of_majority", "years_after_majority"]
        labels = {
            "years_after_last_visit": _("Years kept after the last visit"),
            "age_of_majority": _("Age of majority"),
            "years_after_majority": _("Years kept after that birthday, for a minor at the last visit"),
        }

    def clean(self):
        data = super().clean()
        # The law sets a floor; a rule below Ontario's would destroy records that must be kept.
        if data.get("years_after_last_visit", 10) < 10 or data.get("years_after_majority", 10) < 10:
            raise forms.ValidationError(_("Records must be kept at least 10 years (CMTO record keeping)."))
        return data
