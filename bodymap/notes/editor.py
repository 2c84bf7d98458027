"""Binding, checking and saving the note form, with consent enforced on every row of work."""

from django.http import QueryDict
from django.utils.translation import gettext as _

from bodymap import knowledge
from bodymap.notes import forms

FORMSETS = {
    "findings": forms.FindingFormSet,
    "treatment": forms.TreatmentFormSet,
    "pain": forms.PainFormSet,
    "psfs": forms.FunctionFormSet,
}
BLANK_ROWS = {"findings": 2, "treatment": 2, "pain": 1, "psfs": 1}
ROW_FIELDS = {
    "findings": ["region", "side", "muscle", "tension", "tenderness", "trigger_points", "rom"],
    "treatment": ["region", "side", "minutes", "techniques", "techniques_other", "contact"],
    "pain": ["region", "side", "rating"],
    "psfs": ["activity", "score"],
}


def raw_from_post(post) -> dict:
    """The form as typed, JSON-friendly: every key keeps its list of values."""
    return {
        key: [str(v)[:10_000] for v in post.getlist(key)][:100]
        for key in post
        if key not in ("csrfmiddlewaretoken", "action", "autosave", "confirm")
    }


def as_querydict(raw: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in raw.items():
        data.setlist(key, values if isinstance(values, list) else [values])
    return data


class NoteEditor:
    """All parts of the note form together."""

    def __init__(self, note, consents, avoid=(), data=None, initial=None):
        """`note` is None for an appointment whose note is not yet written (nothing saved yet);
        `consents` is `consent_for` of its client and appointment, which the page shows as well."""
        self.note = note
        self.consents = consents
        self.avoid = set(avoid)
        if data is None and note is not None and note.draft:
            data = as_querydict(note.draft)
        self.bound = data is not None
        if self.bound:
            self.soap = forms.SoapForm(data)
            self.formsets = {name: cls(data, prefix=name) for name, cls in FORMSETS.items()}
        else:
            initial = initial or {}
            self.soap = forms.SoapForm(initial=initial.get("soap", {}))
            self.formsets = {
                name: _with_blank_rows(cls, name, initial.get(name, [])) for name, cls in FORMSETS.items()
            }

    def is_valid(self) -> bool:
        valid = self.soap.is_valid() & all([fs.is_valid() for fs in self.formsets.values()])
        if valid:
            valid = self._check_consent()
        return valid

    def _check_consent(self) -> bool:
        """Work and palpation only where the client has consented for this appointment."""
        names = {r["id"]: r["name"] for r in knowledge.regions()}
        ok = True
        for kind in ("treatment", "findings"):
            for form in self.formsets[kind].forms:
                if form.is_blank():
                    continue
                region = form.cleaned_data["region"]
                problem = self._consent_problem(region, form.cleaned_data.get("contact"), names[region])
                if problem:
                    form.add_error("region", problem)
                    ok = False
        return ok

    def _consent_problem(self, region, contact, name):
        if region in self.avoid:
            return _("The client asked not to be touched on the %(name)s.") % {"name": name}
        consent = self.consents.get(region)
        if consent is None:  # not a sensitive region
            return None
        if not consent.allows_work:
            why = {
                "declined": _("the client declined it"),
                "withdrawn": _("the client withdrew consent"),
                "not_confirmed": _("consent has not been confirmed for this appointment"),
                "not_asked": _("the client has not been asked"),
            }.get(consent.state, _("there is no consent"))
            return _(
                "No consent for the %(name)s in this session: %(why)s. Nothing can be recorded there; "
                "record the work elsewhere, or confirm consent with the client first."
            ) % {"name": name, "why": why}
        if consent.decision == "over_drape" and contact == "skin":
            return _(
                "The client consented to work on the %(name)s over the drape only: choose “over the drape”."
            ) % {"name": name}
        return None

    def cleaned(self) -> dict:
        """The note's fields from a valid form."""
        data = dict(self.soap.cleaned_data)
        rows = {}
        for name, formset in self.formsets.items():
            rows[name] = [
                {field: form.cleaned_data.get(field) for field in ROW_FIELDS[name]}
                for form in formset.forms
                if not form.is_blank()
            ]
        for row in rows["findings"]:
            row["tension"], row["tenderness"] = int(row["tension"] or 0), int(row["tenderness"] or 0)
            row["side"] = row["side"] or "both"
        for row in rows["treatment"] + rows["pain"]:
            row["side"] = row["side"] or "both"
        for row in rows["treatment"]:
            row["contact"] = row["contact"] or "skin"
            row["techniques"] = list(row["techniques"] or [])
            other = row.pop("techniques_other", "")
            if "other" in row["techniques"]:
                row["techniques_other"] = other
        for row in rows["psfs"]:
            row["activity"] = " ".join(row["activity"].split())
        return {**data, "self_care": list(data["self_care"]), **rows}


def _with_blank_rows(formset_class, prefix, rows):
    extra = BLANK_ROWS[prefix]
    cls = type(formset_class.__name__, (formset_class,), {"extra": extra})
    return cls(initial=rows or None, prefix=prefix)
