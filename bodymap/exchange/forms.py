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
