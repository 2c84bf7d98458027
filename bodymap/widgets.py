"""Form widgets shared by every app."""

from django import forms


class TelInput(forms.TextInput):
    """A phone number field: phones open their number pad, browsers offer the saved number."""

    input_type = "tel"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "tel", **(attrs or {})})
