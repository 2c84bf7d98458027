"""The intake, step by step. Each step is an ordinary form; the draft keeps what was typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bodymap import knowledge
from bodymap.clients.forms import clean_phone
from bodymap.clients.models import validate_birth_date

YES_NO = [("no", _("No")), ("yes", _("Yes"))]
PAIN = [(str(n), str(n)) for n in range(11)]
PRESSURE = [
    ("light", _("Light — gentle, relaxing")),
    ("medium", _("Medium — firm but comfortable")),
    ("firm", _("Firm — deep, strong pressure")),
]
CONSENT_CHOICES = [
    ("granted", _("Yes")),
    ("over_drape", _("Yes, but over the sheet only")),
    ("declined", _("No")),
]
SIDE_LABELS = {"left": _("left"), "right": _("right"), "mid": ""}


def region_sides():
    """Every region and side a client can mark, head to toe: (key, region, side, label)."""
    rows = []
    for region in knowledge.regions():
        if region["sides"] == "midline":
            rows.append((f"{region['id']}__mid", region["id"], "mid", region["name"].capitalize()))
        else:
            for side in ("left", "right"):
                label = f"{region['name'].capitalize()}, {SIDE_LABELS[side]}"
                rows.append((f"{region['id']}__{side}", region["id"], side, label))
    return rows


class AboutForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    preferred_name = forms.CharField(label=_("Name you like to be called"), max_length=100, required=False)
    pronouns = forms.CharField(label=_("Pronouns"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        validators=[validate_birth_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    emergency_contact_name = forms.CharField(label=_("Emergency contact"), max_length=200, required=False)
    emergency_contact_phone = forms.CharField(
        label=_("Emergency contact phone"), max_length=40, required=False
    )

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean_emergency_contact_phone(self):
        return clean_phone(self.cleaned_data["emergency_contact_phone"])


class HealthForm(forms.Form):
    conditions = forms.MultipleChoiceField(
        label=_("Do any of these apply to you now?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick any that apply. If none do, leave them all empty."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        conditions = knowledge.load().conditions.values()
        self.fields["conditions"].choices = [(c.id, c.name.capitalize()) for c in conditions]


class ScreeningForm(forms.Form):
    """The red-flag questions, in the knowledge base's plain words; each needs an answer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in knowledge.screening_questions():
            self.fields[question["id"]] = forms.ChoiceField(
                label=question["question"],
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please answer yes or no.")},
            )


class BodyForm(forms.Form):
    """Where it hurts: one optional complaint per region and side."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        symptoms = [(s.id, s.name.capitalize()) for s in knowledge.load().symptoms.values()]
        self.rows = region_sides()
        for key, _region, _side, label in self.rows:
            self.fields[f"{key}__on"] = forms.BooleanField(label=label, required=False)
            self.fields[f"{key}__pain"] = forms.TypedChoiceField(
                label=_("How much does it hurt? (0 = no pain, 10 = worst imaginable)"),
                choices=[("", "—"), *PAIN],
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"{key}__symptoms"] = forms.MultipleChoiceField(
                label=_("What does it feel like?"),
                choices=symptoms,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields[f"{key}__weeks"] = forms.IntegerField(
                label=_("For how many weeks?"),
                min_value=0,
                max_value=2600,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def clean(self):
        data = super().clean()
        for key, *_rest in self.rows:
            if data.get(f"{key}__on") and data.get(f"{key}__pain") is None:
                self.add_error(f"{key}__pain", _("Choose how much it hurts, from 0 to 10."))
        return data

    def complaints(self) -> list[dict]:
        """The complaints in the contract's format, left and right merged when they match."""
        data = self.cleaned_data
        marked = {}
        for key, region, side, _label in self.rows:
            if not data.get(f"{key}__on"):
                continue
            complaint = {"region": region, "pain": data[f"{key}__pain"]}
            if side != "mid":
                complaint["side"] = side
            if data.get(f"{key}__symptoms"):
                complaint["symptoms"] = list(data[f"{key}__symptoms"])
            if data.get(f"{key}__weeks") is not None:
                complaint["weeks"] = data[f"{key}__weeks"]
            marked.setdefault(region, []).append(complaint)
        complaints = []
        for region_complaints in marked.values():
            if len(region_complaints) == 2 and _same_but_side(*region_complaints):
                merged = dict(region_complaints[0])
                merged["side"] = "both"
                complaints.append(merged)
            else:
                complaints.extend(region_complaints)
        return complaints

    def groups(self):
        """Rows grouped for display: (key, label, bound on/pain/symptoms/weeks fields, region, side)."""
        return [
            {
                "key": key,
                "region": region,
                "side": side,
                "label": label,
                "on": self[f"{key}__on"],
                "pain": self[f"{key}__pain"],
                "symptoms": self[f"{key}__symptoms"],
                "weeks": self[f"{key}__weeks"],
            }
            for key, region, side, label in self.rows
        ]


def _same_but_side(a: dict, b: dict) -> bool:
    strip = lambda c: {k: v for k, v in c.items() if k != "side"}  # noqa: E731
    return strip(a) == strip(b)


class PreferencesForm(forms.Form):
    stress = forms.TypedChoiceField(
        label=_("How stressed have you felt this past week? (0 = not at all, 10 = extremely)"),
        choices=PAIN,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a number from 0 to 10.")},
    )
    pressure = forms.ChoiceField(
        label=_("What pressure do you prefer?"),
        choices=PRESSURE,
        widget=forms.RadioSelect,
        initial="medium",
    )
    avoid = forms.MultipleChoiceField(
        label=_("Areas you do not want touched at all"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Your therapist will not work these areas. You can change this at any visit."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["avoid"].choices = [
            (r["id"], r["name"].capitalize()) for r in knowledge.regions() if not r["sensitive"]
        ]


class ConsentForm(forms.Form):
    """A decision for every sensitive region. Nothing is pre-selected: consent is opt-in."""

    def __init__(self, *args, explanations: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.explanations = explanations
        for item in explanations:
            self.fields[item["region"]] = forms.ChoiceField(
                label=item["name"].capitalize(),
                choices=CONSENT_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please choose yes, over the sheet only, or no.")},
            )

    def items(self):
        return [(item, self[item["region"]]) for item in self.explanations]


class SignForm(forms.Form):
    signature = forms.CharField(
        label=_("Type your full name to sign"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    confirm = forms.BooleanField(
        label=_(
            "What I have told you is true to the best of my knowledge, and I understand I can change "
            "my consent or ask to stop at any moment."
        ),
        error_messages={"required": _("Please tick this box to sign.")},
    )

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client

    def clean_signature(self):
        signature = " ".join(self.cleaned_data["signature"].split())
        if self.client.last_name.casefold() not in signature.casefold():
            raise forms.ValidationError(
                _("Type your full name as the practice has it, including %(last)s.")
                % {"last": self.client.last_name}
            )
        return signature
