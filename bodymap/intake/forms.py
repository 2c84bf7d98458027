"""The intake, step by step. Each step is an ordinary form; the draft keeps what was typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bodymap import knowledge
from bodymap.clients.forms import clean_phone
from bodymap.clients.models import validate_birth_date
from bodymap.widgets import TelInput

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
    email = forms.EmailField(
        label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False, widget=TelInput())
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        validators=[validate_birth_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    emergency_contact_name = forms.CharField(label=_("Emergency contact"), max_length=200, required=False)
    emergency_contact_phone = forms.CharField(
        label=_("Emergency contact phone"),
        max_length=40,
        required=False,
        widget=TelInput(attrs={"autocomplete": "off"}),
    )

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean_emergency_contact_phone(self):
        return clean_phone(self.cleaned_data["emergency_contact_phone"])


MEDICATIONS = [
    ("anticoagulant", _("A blood thinner (for example warfarin, apixaban, rivaroxaban)")),
    ("antiplatelet", _("Daily aspirin or clopidogrel")),
    ("corticosteroid_long_term", _("Steroid tablets (such as prednisone) for three months or more")),
    ("insulin", _("Insulin")),
    ("pain_relief_today", _("Painkillers taken today")),
    ("muscle_relaxant", _("A muscle relaxant")),
]
ALLERGIES = [
    ("nut_oils", _("Nut oils (almond, peanut…)")),
    ("latex", _("Latex")),
    ("fragrance", _("Fragrance or essential oils")),
    ("lanolin", _("Lanolin (wool fat)")),
    ("other", _("Something else (say what below)")),
]
SKIN_KINDS = [
    ("rash", _("Rash")),
    ("wound", _("Cut or open wound")),
    ("infection", _("Skin infection")),
    ("burn", _("Burn, including sunburn")),
    ("bruise", _("Bruise")),
    ("other", _("Something else")),
]
IMPLANT_KINDS = [
    ("pacemaker", _("Pacemaker or defibrillator")),
    ("joint_replacement", _("Joint replacement")),
    ("breast_implants", _("Breast implants")),
    ("port", _("Port or central line")),
    ("neurostimulator", _("Nerve or spinal stimulator")),
    ("other", _("Something else")),
]
GOALS = [
    ("relaxation", _("Mostly to relax")),
    ("treatment", _("Mostly to treat a problem")),
    ("both", _("Both")),
]
BODY_SIDES = [("both", _("both sides / middle")), ("left", _("left")), ("right", _("right"))]
REPEATS = 3  # rows offered for surgeries, skin problems and implants; most people need none or one


def region_choices(blank_label="—"):
    return [("", blank_label), *[(r["id"], r["name"].capitalize()) for r in knowledge.regions()]]


class HealthForm(forms.Form):
    """Health history in the contract's version 2 terms: conditions, medicines, allergies, pregnancy,
    surgeries, skin and implants. Every question is optional except the follow-ups of a yes."""

    conditions = forms.MultipleChoiceField(
        label=_("Do any of these apply to you now?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick any that apply. If none do, leave them all empty."),
    )
    medications = forms.MultipleChoiceField(
        label=_("Do you take any of these medicines?"),
        choices=MEDICATIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    medications_text = forms.CharField(
        label=_("Other medicines, or anything to add"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    allergies = forms.MultipleChoiceField(
        label=_("Are you allergic or sensitive to any of these?"),
        choices=ALLERGIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    allergies_text = forms.CharField(label=_("Allergies: anything to add"), max_length=500, required=False)
    pregnant = forms.ChoiceField(
        label=_("Are you pregnant?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        initial="no",
        widget=forms.RadioSelect,
        required=False,
    )
    pregnancy_weeks = forms.IntegerField(
        label=_("How many weeks?"),
        min_value=0,
        max_value=42,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    pregnancy_complications = forms.ChoiceField(
        label=_("Has your midwife or doctor told you of any complication in this pregnancy?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        conditions = knowledge.load().conditions.values()
        # Pregnancy has its own questions below, with the weeks the plan needs.
        self.fields["conditions"].choices = [
            (c.id, c.name.capitalize()) for c in conditions if c.id != "pregnancy"
        ]
        for n in range(REPEATS):
            self.fields[f"surgery_{n}_region"] = forms.ChoiceField(
                label=_("Where was the operation?"), choices=region_choices(), required=False
            )
            self.fields[f"surgery_{n}_side"] = forms.ChoiceField(
                label=_("Side"), choices=BODY_SIDES, required=False, initial="both"
            )
            self.fields[f"surgery_{n}_weeks"] = forms.IntegerField(
                label=_("How many weeks ago?"),
                min_value=0,
                max_value=5200,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[f"skin_{n}_region"] = forms.ChoiceField(
                label=_("Where on the body?"), choices=region_choices(), required=False
            )
            self.fields[f"skin_{n}_side"] = forms.ChoiceField(
                label=_("Side"), choices=BODY_SIDES, required=False, initial="both"
            )
            self.fields[f"skin_{n}_kind"] = forms.ChoiceField(
                label=_("What is it?"), choices=[("", "—"), *SKIN_KINDS], required=False
            )
            self.fields[f"implant_{n}_kind"] = forms.ChoiceField(
                label=_("What kind?"), choices=[("", "—"), *IMPLANT_KINDS], required=False
            )
            self.fields[f"implant_{n}_region"] = forms.ChoiceField(
                label=_("Where, if you know"), choices=region_choices(), required=False
            )
            self.fields[f"implant_{n}_side"] = forms.ChoiceField(
                label=_("Side"), choices=BODY_SIDES, required=False, initial="both"
            )

    def clean(self):
        data = super().clean()
        if data.get("pregnant") == "yes":
            if data.get("pregnancy_weeks") is None:
                self.add_error(
                    "pregnancy_weeks", _("How many weeks pregnant are you? Your best guess is fine.")
                )
            if not data.get("pregnancy_complications"):
                self.add_error("pregnancy_complications", _("Please answer yes or no."))
        if "other" in (data.get("allergies") or []) and not (data.get("allergies_text") or "").strip():
            self.add_error("allergies_text", _("Tell us what you are allergic to."))
        for n in range(REPEATS):
            if data.get(f"surgery_{n}_region") and data.get(f"surgery_{n}_weeks") is None:
                self.add_error(f"surgery_{n}_weeks", _("How many weeks ago? Your best guess is fine."))
            if data.get(f"surgery_{n}_weeks") is not None and not data.get(f"surgery_{n}_region"):
                self.add_error(f"surgery_{n}_region", _("Choose where the operation was."))
            if bool(data.get(f"skin_{n}_region")) != bool(data.get(f"skin_{n}_kind")):
                field = f"skin_{n}_kind" if data.get(f"skin_{n}_region") else f"skin_{n}_region"
                self.add_error(field, _("Choose both where it is and what it is."))
            if data.get(f"implant_{n}_region") and not data.get(f"implant_{n}_kind"):
                self.add_error(f"implant_{n}_kind", _("Choose what kind of implant or device."))
        return data

    def rows(self, prefix):
        return [[self[f"{prefix}_{n}_{part}"] for part in PARTS[prefix]] for n in range(REPEATS)]

    def surgery_rows(self):
        return self.rows("surgery")

    def skin_rows(self):
        return self.rows("skin")

    def implant_rows(self):
        return self.rows("implant")

    def contract_fields(self, midline: set) -> dict:
        """The version 2 fields this step answers, in the contract's format."""
        data = self.cleaned_data
        side = lambda region, value: "both" if region in midline else (value or "both")  # noqa: E731
        out = {"conditions": sorted(data["conditions"])}
        if data.get("medications"):
            out["medications"] = sorted(data["medications"])
        if data.get("medications_text", "").strip():
            out["medications_text"] = data["medications_text"].strip()
        if data.get("allergies"):
            out["allergies"] = sorted(data["allergies"])
        if data.get("allergies_text", "").strip():
            out["allergies_text"] = data["allergies_text"].strip()
        if data.get("pregnant") == "yes":
            out["pregnancy"] = {
                "weeks": data["pregnancy_weeks"],
                "complications": data["pregnancy_complications"] == "yes",
            }
            out["conditions"] = sorted({*out["conditions"], "pregnancy"})
        surgeries, skin, implants = [], [], []
        for n in range(REPEATS):
            region = data.get(f"surgery_{n}_region")
            if region:
                surgeries.append(
                    {
                        "region": region,
                        "side": side(region, data.get(f"surgery_{n}_side")),
                        "weeks_ago": data[f"surgery_{n}_weeks"],
                    }
                )
            region = data.get(f"skin_{n}_region")
            if region:
                skin.append(
                    {
                        "region": region,
                        "side": side(region, data.get(f"skin_{n}_side")),
                        "kind": data[f"skin_{n}_kind"],
                    }
                )
            kind = data.get(f"implant_{n}_kind")
            if kind:
                implant = {"kind": kind}
                region = data.get(f"implant_{n}_region")
                if region:
                    implant["region"] = region
                    implant["side"] = side(region, data.get(f"implant_{n}_side"))
                implants.append(implant)
        for key, rows in (("surgeries", surgeries), ("skin", skin), ("implants", implants)):
            if rows:
                out[key] = rows
        return out


PARTS = {
    "surgery": ["region", "side", "weeks"],
    "skin": ["region", "side", "kind"],
    "implant": ["kind", "region", "side"],
}


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
        self.rows = region_sides()
        for key, region, _side, label in self.rows:
            # Only what can be felt there: no "jaw clenching" offered for the foot.
            symptoms = [(s["id"], s["name"].capitalize()) for s in knowledge.symptoms_for(region)]
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
    goals = forms.ChoiceField(
        label=_("What would you like from your massage?"),
        choices=GOALS,
        widget=forms.RadioSelect,
        initial="both",
        required=False,
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

    def __init__(self, *args, explanations: list[dict], minor: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.explanations = explanations
        self.minor = minor
        if minor:
            self.fields["guardian_name"] = forms.CharField(
                label=_("Parent or guardian's full name"),
                max_length=200,
                error_messages={"required": _("A parent or guardian must fill in this part.")},
            )
            self.fields["guardian_consents"] = forms.BooleanField(
                label=_("As the parent or guardian, I give the consent chosen on this page."),
                required=False,
            )
            self.fields["guardian_present"] = forms.BooleanField(
                label=_("I will be in the room for any work on the areas marked sensitive."),
                required=False,
            )
        for item in explanations:
            self.fields[item["region"]] = forms.ChoiceField(
                label=item["name"].capitalize(),
                choices=CONSENT_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please choose yes, over the sheet only, or no.")},
            )

    def items(self):
        return [(item, self[item["region"]]) for item in self.explanations]

    def guardian(self) -> dict | None:
        if not self.minor:
            return None
        data = self.cleaned_data
        return {
            "name": " ".join(data["guardian_name"].split()),
            "consents": bool(data.get("guardian_consents")),
            "present": bool(data.get("guardian_present")),
        }


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

    def __init__(self, *args, client, guardian: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.guardian = guardian
        if guardian:
            self.fields["signature"].label = _("Parent or guardian: type your full name to sign")

    def clean_signature(self):
        signature = " ".join(self.cleaned_data["signature"].split())
        if self.guardian:
            if signature.casefold() != self.guardian.casefold():
                raise forms.ValidationError(
                    _("Type the parent or guardian's name as given on the consent step: %(name)s.")
                    % {"name": self.guardian}
                )
            return signature
        if self.client.last_name.casefold() not in signature.casefold():
            raise forms.ValidationError(
                _("Type your full name as the practice has it, including %(last)s.")
                % {"last": self.client.last_name}
            )
        return signature
