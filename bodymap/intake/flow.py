"""The steps of the intake, its draft, and turning a finished draft into the contract's JSON."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bodymap import knowledge
from bodymap.consent.explain import explanation_for
from bodymap.intake import forms


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form: type


STEPS = [
    Step("about", _("About you"), forms.AboutForm),
    Step("health", _("Health history"), forms.HealthForm),
    Step("screening", _("Safety questions"), forms.ScreeningForm),
    Step("body", _("Where it hurts"), forms.BodyForm),
    Step("preferences", _("Stress and preferences"), forms.PreferencesForm),
    Step("consent", _("Consent"), forms.ConsentForm),
    Step("review", _("Review and sign"), forms.SignForm),
]
BY_SLUG = {step.slug: step for step in STEPS}
DATA_STEPS = [s.slug for s in STEPS if s.slug != "review"]


def step_index(slug: str) -> int:
    return [s.slug for s in STEPS].index(slug)


def raw_values(form_class, data, **kwargs) -> dict:
    """The typed values of one step as a JSON-friendly dict, lists kept for multi-value fields."""
    form = form_class(**kwargs)
    values = {}
    for name, field in form.fields.items():
        widget = field.widget
        if getattr(widget, "allow_multiple_selected", False):
            values[name] = [str(v)[:200] for v in data.getlist(name)][:50]
        elif name in data:
            values[name] = str(data.get(name))[:2000]
    return values


class QueryDictLike(dict):
    """A saved step, readable by a form as if it were request.POST."""

    def getlist(self, key, default=None):
        value = self.get(key, default if default is not None else [])
        return value if isinstance(value, list) else [value]


def saved(intake, slug: str) -> QueryDictLike | None:
    raw = (intake.draft or {}).get("raw", {}).get(slug)
    return QueryDictLike(raw) if raw is not None else None


def complaints_from_draft(intake) -> list[dict]:
    body = build_form(intake, "body", bound=True)
    if body is None or not body.is_valid():
        return []
    return body.complaints()


MINOR_AGE = 16  # below this a parent or guardian consents (docs/safety.md)


def date_of_birth(intake):
    """The date of birth on the About step, or the one the practice already has."""
    about = build_form(intake, "about", bound=True)
    if about is not None and about.is_valid() and about.cleaned_data.get("date_of_birth"):
        return about.cleaned_data["date_of_birth"]
    return intake.client.date_of_birth


def age_of(intake) -> int | None:
    dob = date_of_birth(intake)
    return _age(dob) if dob else None


def is_minor(intake) -> bool:
    age = age_of(intake)
    return age is not None and age < MINOR_AGE


def guardian_name(intake) -> str:
    if not is_minor(intake):
        return ""
    consent = build_form(intake, "consent", bound=True)
    if consent is None or not consent.is_valid():
        return ""
    return consent.guardian()["name"]


def form_kwargs(intake, slug: str) -> dict:
    if slug == "consent":
        return {"explanations": consent_explanations(intake), "minor": is_minor(intake)}
    if slug == "review":
        return {"client": intake.client, "guardian": guardian_name(intake)}
    return {}


def consent_explanations(intake) -> list[dict]:
    complaints = complaints_from_draft(intake)
    return [explanation_for(region, complaints) for region in knowledge.sensitive_regions()]


def build_form(intake, slug: str, data=None, bound=False):
    """The step's form, bound to `data`, or to the saved draft when `bound` (None if never saved)."""
    step = BY_SLUG[slug]
    kwargs = form_kwargs(intake, slug)
    if data is not None:
        return step.form(data, **kwargs)
    draft = saved(intake, slug)
    if bound:
        return step.form(draft, **kwargs) if draft is not None else None
    if draft is not None and slug in (intake.draft or {}).get("done", []):
        return step.form(draft, **kwargs)  # a finished step shows its values (and any new errors)
    return step.form(initial=_initial(intake, slug, draft), **kwargs)


def _initial(intake, slug, draft):
    if draft is not None:
        return {k: v for k, v in draft.items()}
    if slug == "about":
        c = intake.client
        return {
            "first_name": c.first_name,
            "last_name": c.last_name,
            "preferred_name": c.preferred_name,
            "pronouns": c.pronouns,
            "email": c.email,
            "phone": c.phone,
            "date_of_birth": c.date_of_birth,
            "emergency_contact_name": c.emergency_contact_name,
            "emergency_contact_phone": c.emergency_contact_phone,
        }
    return {}


def first_unfinished(intake) -> str:
    done = set((intake.draft or {}).get("done", []))
    for step in STEPS:
        if step.slug not in done:
            return step.slug
    return "review"


def session_minutes(client) -> int:
    """The length of the client's next appointment, or an hour when nothing is booked."""
    upcoming = client.appointments.holding_time().filter(start__gte=timezone.now()).order_by("start").first()
    minutes = upcoming.minutes if upcoming else 60
    return min(max(minutes, 15), 180)


def build_contract(intake) -> tuple[dict | None, str | None]:
    """The intake in the contract's format (version 2), or the first step that still needs attention."""
    cleaned = {}
    for slug in DATA_STEPS:
        form = build_form(intake, slug, bound=True)
        if form is None or not form.is_valid():
            return None, slug
        cleaned[slug] = form
    contract = _contract(intake, cleaned)
    problems = knowledge.validate_intake(contract)
    if problems:  # the forms should make this impossible; fail loudly rather than store bad data
        raise ValueError("intake does not meet the contract: " + "; ".join(problems))
    return contract, None


def _contract(intake, cleaned: dict) -> dict:
    """The contract from whichever steps are finished; a missing step leaves its fields out."""
    client = intake.client
    midline = {r["id"] for r in knowledge.regions() if r["sides"] == "midline"}
    contract = {"version": 2, "session_minutes": session_minutes(client)}
    if "preferences" in cleaned:
        prefs = cleaned["preferences"].cleaned_data
        contract.update(
            pressure=prefs["pressure"],
            stress=prefs["stress"],
            avoid=sorted(prefs["avoid"]),
            goals=prefs.get("goals") or "both",
        )
    if "body" in cleaned:
        contract["complaints"] = cleaned["body"].complaints()
    if "screening" in cleaned:
        screening = cleaned["screening"].cleaned_data
        contract["screening"] = {flag: screening[flag] == "yes" for flag in sorted(screening)}
    if "health" in cleaned:
        contract.update(cleaned["health"].contract_fields(midline))
    if "consent" in cleaned:
        consent = cleaned["consent"]
        contract["consent"] = {
            region: consent.cleaned_data[region] for region in knowledge.sensitive_regions()
        }
        if consent.guardian():
            contract["guardian"] = consent.guardian()
    age = age_of(intake)
    if age is not None:
        contract["age"] = age
    return contract


# Steps whose answers can raise a red flag: age, health history, the questions and the body map.
FLAG_STEPS = ("about", "health", "screening", "body")


def provisional_plan(intake) -> dict | None:
    """The planner's reading of the steps finished so far, so a red flag is shown on the step where
    it arises rather than after signing. None when the planner cannot read the draft yet."""
    cleaned = {}
    # Only the steps that can raise a flag: the consent step's texts are slow to build and change
    # nothing here.
    for slug in FLAG_STEPS:
        form = build_form(intake, slug, bound=True)
        if form is not None and form.is_valid():
            cleaned[slug] = form
    contract = _contract(intake, cleaned)
    try:
        return knowledge.plan(contract)
    except knowledge.IntakeError:
        return None


def _age(dob) -> int:
    today = timezone.localdate()
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
