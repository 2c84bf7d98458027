"""The SOAP note form: free text, and rows for findings, treatment, pain and function."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from bodymap import knowledge
from bodymap.intake.forms import PAIN

SIDES = [("both", _("both / middle")), ("left", _("left")), ("right", _("right"))]
LEVELS = [("0", _("0 none")), ("1", _("1 mild")), ("2", _("2 moderate")), ("3", _("3 marked"))]
CONTACT = [("skin", _("on the skin")), ("over_drape", _("over the drape"))]
TECHNIQUES = [
    ("effleurage", _("effleurage")),
    ("petrissage", _("petrissage")),
    ("friction", _("friction")),
    ("trigger_point", _("trigger point release")),
    ("myofascial", _("myofascial release")),
    ("stretching", _("passive stretching")),
    ("muscle_energy", _("muscle energy technique")),
    ("compression", _("compression")),
    ("joint_mobilisation", _("joint mobilisation")),
    # Named by the clinical reference: superficial heat (Qaseem 2017) and exercise (NICE NG59).
    ("superficial_heat", _("superficial heat")),
    ("exercise", _("exercise instruction")),
    ("other", _("other (specify)")),
]


def region_choices(blank=True):
    rows = [(r["id"], r["name"].capitalize()) for r in knowledge.regions()]
    return [("", "—"), *rows] if blank else rows


def muscle_choices():
    """The muscles grouped under the regions where the knowledge base places them; the editor's
    script then shows only the chosen region's group. Anatomical names: the note is for clinicians."""
    kb = knowledge.load()
    groups = []
    for region in knowledge.regions(kb):
        muscles = knowledge.muscles_in(region["id"], kb)
        if muscles:
            groups.append((region["name"].capitalize(), [(m, kb.muscles[m].name) for m in muscles]))
    return [("", _("— whole region —")), *groups]


def muscles_by_region() -> dict[str, list[str]]:
    return {r["id"]: knowledge.muscles_in(r["id"]) for r in knowledge.regions()}


class SoapForm(forms.Form):
    subjective = forms.CharField(
        label=_("Subjective — what the client reports"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    objective = forms.CharField(
        label=_("Objective — general observations"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    assessment = forms.CharField(
        label=_("Assessment"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    plan = forms.CharField(
        label=_("Plan"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    self_care = forms.MultipleChoiceField(
        label=_("Self-care given to the client"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["self_care"].choices = [(s.id, s.name) for s in knowledge.load().self_care]


class RowForm(forms.Form):
    """A row that may be left empty: only rows with a region are kept."""

    def is_blank(self) -> bool:
        return not (self.cleaned_data or {}).get("region")


class FindingForm(RowForm):
    region = forms.ChoiceField(label=_("Region"), required=False)
    side = forms.ChoiceField(label=_("Side"), choices=SIDES, required=False, initial="both")
    muscle = forms.ChoiceField(label=_("Muscle"), required=False)
    tension = forms.ChoiceField(label=_("Tension (0–3)"), choices=LEVELS, required=False, initial="0")
    tenderness = forms.ChoiceField(label=_("Tenderness (0–3)"), choices=LEVELS, required=False, initial="0")
    trigger_points = forms.BooleanField(label=_("Trigger points"), required=False)
    rom = forms.CharField(label=_("Range of motion"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()
        self.fields["muscle"].choices = muscle_choices()

    def clean(self):
        data = super().clean()
        region, muscle = data.get("region"), data.get("muscle")
        if region and muscle and muscle not in knowledge.muscles_in(region):
            self.add_error("muscle", _("This muscle does not lie in the region chosen."))
        return data


class TreatmentForm(RowForm):
    region = forms.ChoiceField(label=_("Region"), required=False)
    side = forms.ChoiceField(label=_("Side"), choices=SIDES, required=False, initial="both")
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=180, required=False)
    techniques = forms.MultipleChoiceField(
        label=_("Techniques"), choices=TECHNIQUES, required=False, widget=forms.CheckboxSelectMultiple
    )
    techniques_other = forms.CharField(label=_("Other technique"), required=False, max_length=200)
    contact = forms.ChoiceField(label=_("Contact"), choices=CONTACT, required=False, initial="skin")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()

    def clean(self):
        data = super().clean()
        if data.get("region") and not data.get("minutes"):
            self.add_error("minutes", _("How many minutes were spent here?"))
        other = " ".join((data.get("techniques_other") or "").split())
        data["techniques_other"] = other
        if "other" in (data.get("techniques") or []) and not other:
            self.add_error("techniques_other", _("Name the other technique."))
        return data


class PainForm(RowForm):
    region = forms.ChoiceField(label=_("Region"), required=False)
    side = forms.ChoiceField(label=_("Side"), choices=SIDES, required=False, initial="both")
    rating = forms.TypedChoiceField(
        label=_("Pain today (0–10)"), choices=[("", "—"), *PAIN], coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()

    def is_blank(self) -> bool:
        data = self.cleaned_data or {}
        return not data.get("region") or data.get("rating") is None


class FunctionForm(forms.Form):
    activity = forms.CharField(label=_("Activity the client finds hard"), required=False, max_length=120)
    score = forms.TypedChoiceField(
        label=_("How well today (0 = unable, 10 = as before)"),
        choices=[("", "—"), *PAIN],
        coerce=int,
        required=False,
        empty_value=None,
    )

    def clean(self):
        data = super().clean()
        if data.get("activity") and data.get("score") is None:
            self.add_error("score", _("Rate this activity from 0 to 10, or clear the activity."))
        return data

    def is_blank(self) -> bool:
        return not (self.cleaned_data or {}).get("activity")


FindingFormSet = formset_factory(FindingForm, extra=0, max_num=60, validate_max=True)
TreatmentFormSet = formset_factory(TreatmentForm, extra=0, max_num=60, validate_max=True)
PainFormSet = formset_factory(PainForm, extra=0, max_num=40, validate_max=True)
FunctionFormSet = formset_factory(FunctionForm, extra=0, max_num=10, validate_max=True)


class SignNoteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm this note is accurate. Once signed it cannot be changed, only added to."),
        error_messages={"required": _("Tick to confirm before signing.")},
    )


class AddendumForm(forms.Form):
    text = forms.CharField(label=_("Addendum"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(
        label=_("Sign this addendum. It will be added beneath the note and cannot be changed."),
        error_messages={"required": _("Tick to sign the addendum.")},
    )
