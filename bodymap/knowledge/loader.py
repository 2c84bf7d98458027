"""Load the knowledge base from its TOML files and validate every entry on the way in.

Errors name the file, the entry and the field, e.g.
``muscles.toml: muscle 'piriformis': field 'uberon': required``.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, NoReturn, TypeVar, overload

DATA_DIR = Path(__file__).parent / "data"

PRESSURES = ("light", "medium", "firm")
EVIDENCE_LEVELS = (
    "guideline",
    "systematic_review",
    "rct",
    "cadaver_study",
    "experimental_study",
    "clinical_description",
    "expert_opinion",
)
RELATION_KINDS = ("referred_pain", "pelvis_balance", "nerve", "symptom", "stress")
SOURCE_KINDS = ("journal_article", "guideline", "book", "website", "standard", "policy")
FLAG_OUTCOMES = ("emergency", "clearance", "conditional")
TRIGGER_OUTCOMES = ("emergency", "clearance")
SIDES = ("midline", "left_right")

# The vocabulary of the intake contract (docs/intake-plan-v2.md). The data files must match it
# exactly: the contract changes only by a new version, never by editing a data file.
CONTRACT_REGIONS = {
    # id: (sides, sensitive)
    **{
        r: ("midline", False)
        for r in ("scalp", "face", "neck", "upper_back", "mid_back", "low_back", "sacrum")
    },
    "chest": ("midline", True),
    "abdomen": ("midline", True),
    **{
        r: ("left_right", False)
        for r in (
            "jaw",
            "shoulder",
            "upper_arm",
            "forearm",
            "hand",
            "lateral_hip",
            "anterior_thigh",
            "posterior_thigh",
            "lateral_thigh",
            "knee",
            "calf",
            "shin",
            "foot",
        )
    },
    "gluteal": ("left_right", True),
    "inner_thigh": ("left_right", True),
}
CONTRACT_SYMPTOMS = (
    "ache",
    "stiffness",
    "sharp",
    "burning",
    "radiating",
    "numbness",
    "tingling",
    "weakness",
    "clenching",
    "headache",
    "worse_sitting",
    "worse_standing",
    "night_pain",
    "swelling",
)
CONTRACT_FLAGS = {
    "saddle_numbness": "emergency",
    "bladder_bowel_change": "emergency",
    "leg_weakness_progressive": "emergency",
    "calf_swelling_redness": "emergency",
    "chest_pain_breathless": "emergency",
    "fever": "clearance",
    "unexplained_weight_loss": "clearance",
    "recent_trauma": "clearance",
    "cancer_history": "conditional",
}
CONTRACT_CONDITIONS = (
    "anticoagulants",
    "bleeding_disorder",
    "pregnancy",
    "osteoporosis",
    "recent_surgery",
    "varicose_veins",
    "diabetes_neuropathy",
    "dvt_history",
    "hypertension",
    "skin_condition",
    "heart_disease",
    "stroke_tia",
    "seizures",
    "lymphoedema",
    "dizziness_neck_movement",
    "low_platelets",
)
CONTRACT_MEDICATIONS = (
    "anticoagulant",
    "antiplatelet",
    "corticosteroid_long_term",
    "insulin",
    "pain_relief_today",
    "muscle_relaxant",
)
CONTRACT_ALLERGIES = ("nut_oils", "latex", "fragrance", "lanolin", "other")
CONTRACT_IMPLANTS = ("pacemaker", "joint_replacement", "breast_implants", "port", "neurostimulator", "other")
# What a trigger's history_any may name besides condition, medication and screening ids.
HISTORY_EXTRAS = ("surgery_within_12_weeks",)
SURGERY_TRIGGER_WEEKS = 12
CONTRACT_MUSCLES = (
    "gluteus_maximus",
    "gluteus_medius",
    "gluteus_minimus",
    "piriformis",
    "quadratus_lumborum",
    "erector_spinae",
    "iliopsoas",
    "tensor_fasciae_latae",
    "hamstrings",
    "masseter",
    "temporalis",
    "upper_trapezius",
    "levator_scapulae",
)

_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
_UBERON = re.compile(r"UBERON:\d{7}\Z")
_TAG_PREFIXES = ("region", "complaint", "structure")


class KnowledgeError(Exception):
    """The knowledge base is broken; the message names the file, the entry and the field."""


@dataclass(frozen=True)
class Source:
    id: str
    cited_as: str
    year: int
    kind: str
    authors: str | None = None
    title: str | None = None
    published_in: str | None = None
    link: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    sides: str
    sensitive: bool
    muscles: tuple[str, ...]
    why: str | None = None
    draping: str | None = None
    instead: str | None = None
    sources: tuple[str, ...] = ()
    fallback: str | None = None
    adjacent: tuple[str, ...] = ()
    if_declined: str | None = None
    risks: str | None = None


@dataclass(frozen=True)
class Muscle:
    id: str
    name: str
    plain: str
    uberon: str
    origin: str
    insertion: str
    nerve: str
    roots: str
    actions: tuple[str, ...]
    referred_regions: tuple[str, ...]
    referred_description: str
    referred_sources: tuple[str, ...]
    referred_secondary: bool
    note: str | None = None
    deep: bool = False


@dataclass(frozen=True)
class Symptom:
    id: str
    name: str
    regions: tuple[str, ...] = ()  # where the intake offers it; empty: every region

    def applies_to(self, region: str) -> bool:
        return not self.regions or region in self.regions


@dataclass(frozen=True)
class Flag:
    id: str
    question: str
    outcome: str
    message: str
    sources: tuple[str, ...]
    clearance_when_regions: tuple[str, ...] = ()
    clearance_when_symptoms: tuple[str, ...] = ()
    caution_advice: str | None = None


@dataclass(frozen=True)
class Condition:
    id: str
    name: str
    advice: str
    sources: tuple[str, ...]
    pressure_cap: str | None = None
    leg_regions: tuple[str, ...] = ()
    region_pressure: str | None = None
    region_pressure_reason: str | None = None
    exclude_regions: tuple[str, ...] = ()
    excluded_note: str | None = None


@dataclass(frozen=True)
class Relation:
    id: str
    kind: str
    complaint_regions: tuple[str, ...]
    symptoms_any: tuple[str, ...]
    regions: tuple[str, ...]
    muscles: tuple[str, ...]
    weight: Fraction
    reason: str
    evidence: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SelfCare:
    id: str
    name: str
    targets: tuple[str, ...]
    instructions: str
    sources: tuple[str, ...]
    not_with: tuple[str, ...] = ()
    not_with_medications: tuple[str, ...] = ()
    lying_on_back: bool = False
    end_range_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class Medication:
    id: str
    name: str
    advice: str
    sources: tuple[str, ...]
    pressure_cap: str | None = None


@dataclass(frozen=True)
class Allergy:
    id: str
    name: str
    warning: str


@dataclass(frozen=True)
class Implant:
    id: str
    name: str
    advice: str
    sources: tuple[str, ...]
    pressure_regions: tuple[str, ...] = ()  # "at_implant" stands for the implant's own region
    pressure: str | None = None
    pressure_reason: str | None = None
    check: str | None = None
    positioning: str | None = None
    end_range: bool = False


@dataclass(frozen=True)
class Clause:
    """One way a trigger fires; every field that is set must hold (see triggers.toml)."""

    regions: tuple[str, ...] = ()
    symptoms_any: tuple[str, ...] = ()
    pain_at_least: int | None = None
    weeks_under: float | None = None
    sudden: bool = False
    bilateral: bool = False
    one_side: bool = False
    also_regions: tuple[str, ...] = ()
    age_at_least: int | None = None
    age_under: int | None = None
    history_any: tuple[str, ...] = ()
    pregnancy_complications: bool = False

    @property
    def needs_complaint(self) -> bool:
        return bool(
            self.regions
            or self.symptoms_any
            or self.pain_at_least is not None
            or self.weeks_under is not None
            or self.sudden
            or self.bilateral
            or self.one_side
        )


@dataclass(frozen=True)
class Trigger:
    id: str
    outcome: str
    message: str
    sources: tuple[str, ...]
    clauses: tuple[Clause, ...]
    screening: str | None = None


@dataclass(frozen=True)
class Check:
    id: str
    text: str
    reason: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class AgeBand:
    id: str
    advice: str
    sources: tuple[str, ...]
    under: int | None = None
    at_least: int | None = None
    pressure_cap: str | None = None
    guardian_for_sensitive: bool = False
    positioning: str | None = None

    def applies(self, age: int | None) -> bool:
        if age is None:
            return False
        return (self.under is None or age < self.under) and (self.at_least is None or age >= self.at_least)


@dataclass(frozen=True)
class Rules:
    """The section 3 and 4 numbers and texts of planner.toml (docs/intake-plan-v2.md)."""

    evidence_weights: dict[str, Fraction]
    region_share: Fraction
    sensitive_share: Fraction
    unallocated_note: str
    not_reached_note: str
    adjacent_reason: str
    deep_reason: str
    age_bands: tuple[AgeBand, ...]
    acute_symptoms: tuple[str, ...]
    acute_sharp_under_weeks: float
    acute_pressure: str
    acute_reason: str
    numbness_pressure: str
    numbness_reason: str
    surgery_exclude_weeks: float
    surgery_light_weeks: float
    surgery_legs_pressure: str
    surgery_legs_reason: str
    surgery_light_reason: str
    surgery_excluded_note: str
    skin_worked_around: tuple[str, ...]
    skin_pressure: str
    skin_around_reason: str
    skin_excluded_note: str
    pregnancy_from_weeks: int
    pregnancy_positioning: str
    pregnancy_legs_pressure: str
    pregnancy_legs_reason: str
    pregnancy_light_regions: tuple[str, ...]
    pregnancy_light_reason: str
    neck_dizziness_condition: str
    neck_dizziness_reason: str
    legs: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    text: str
    sources: tuple[str, ...]
    relevant_when: tuple[str, ...]


@dataclass(frozen=True)
class Settings:
    complaint_base: int
    stress_threshold: int
    relaxation_score: int
    max_self_care: int
    relaxation_regions: tuple[str, ...]
    relaxation_reason: str
    fill_reason: str


@dataclass(frozen=True)
class Knowledge:
    """Everything the planner knows, validated. Dicts keep the order of the data files."""

    sources: dict[str, Source]
    regions: dict[str, Region]
    muscles: dict[str, Muscle]
    symptoms: dict[str, Symptom]
    flags: dict[str, Flag]
    conditions: dict[str, Condition]
    relations: tuple[Relation, ...]
    self_care: tuple[SelfCare, ...]
    topics: tuple[Topic, ...]
    settings: Settings
    rules: Rules
    medications: dict[str, Medication] = field(default_factory=dict)
    allergies: dict[str, Allergy] = field(default_factory=dict)
    implants: dict[str, Implant] = field(default_factory=dict)
    triggers: tuple[Trigger, ...] = ()
    checks: dict[str, Check] = field(default_factory=dict)
    # Derived indexes, built once so planning stays fast.
    region_order: dict[str, int] = field(default_factory=dict)
    muscle_regions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    relations_by_region: dict[str, tuple[Relation, ...]] = field(default_factory=dict)
    stress_relations: tuple[Relation, ...] = ()

    def counts(self) -> dict[str, int]:
        return {
            "sources": len(self.sources),
            "regions": len(self.regions),
            "muscles": len(self.muscles),
            "symptoms": len(self.symptoms),
            "screening flags": len(self.flags),
            "conditions": len(self.conditions),
            "relations": len(self.relations),
            "self-care": len(self.self_care),
            "education topics": len(self.topics),
            "medications": len(self.medications),
            "allergies": len(self.allergies),
            "implants": len(self.implants),
            "derived triggers": len(self.triggers),
            "checks": len(self.checks),
        }


class _Entry:
    """One entry of a data file, read field by field; any problem raises a KnowledgeError."""

    def __init__(self, file: str, kind: str, raw: dict[str, Any], label: str, prefix: str = ""):
        self.file, self.kind, self.raw, self.label, self.prefix = file, kind, raw, label, prefix
        self.seen: set[str] = set()

    def fail(self, name: str, rule: str) -> NoReturn:
        raise KnowledgeError(f"{self.file}: {self.kind} '{self.label}': field '{self.prefix}{name}': {rule}")

    def _get(self, name: str, required: bool) -> Any:
        self.seen.add(name)
        if name not in self.raw:
            if required:
                self.fail(name, "required")
            return None
        return self.raw[name]

    @overload
    def text(self, name: str, required: Literal[True] = True) -> str: ...
    @overload
    def text(self, name: str, required: bool) -> str | None: ...
    def text(self, name: str, required: bool = True) -> str | None:
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(name, "must be non-empty text")
        return value

    def integer(self, name: str, low: int, high: int) -> int:
        value = self._get(name, True)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(name, f"must be a whole number from {low} to {high}")
        return value

    def boolean(self, name: str) -> bool:
        value = self._get(name, True)
        if not isinstance(value, bool):
            self.fail(name, "must be true or false")
        return value

    @overload
    def choice(self, name: str, allowed: Collection[str], required: Literal[True] = True) -> str: ...
    @overload
    def choice(self, name: str, allowed: Collection[str], required: bool) -> str | None: ...
    def choice(self, name: str, allowed: Collection[str], required: bool = True) -> str | None:
        value = self._get(name, required)
        if value is None:
            return None
        if value not in allowed:
            self.fail(name, "must be one of " + ", ".join(allowed))
        return value

    def ids(
        self, name: str, known, what: str, required: bool = True, non_empty: bool = False
    ) -> tuple[str, ...]:
        value = self._get(name, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(name, f"must be a list of {what} ids")
        if non_empty and not value:
            self.fail(name, "must not be empty")
        for item in value:
            if item not in known:
                self.fail(name, f"unknown {what} '{item}'")
        if len(set(value)) != len(value):
            self.fail(name, "repeats an id")
        return tuple(value)

    @overload
    def number(self, name: str, low: float, high: float, required: Literal[True] = True) -> float: ...
    @overload
    def number(self, name: str, low: float, high: float, required: bool) -> float | None: ...
    def number(self, name: str, low: float, high: float, required: bool = True) -> float | None:
        value = self._get(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not (low <= value <= high):
            self.fail(name, f"must be a number from {low:g} to {high:g}")
        return value

    def flag(self, name: str) -> bool:
        """An optional true/false, false when left out."""
        if name not in self.raw:
            self.seen.add(name)
            return False
        return self.boolean(name)

    def weight(self, name: str) -> Fraction:
        value = self._get(name, True)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
            self.fail(name, "must be a number above 0 and at most 1")
        # Through str, so 0.3 is exactly 3/10 and sums are exact and deterministic.
        return Fraction(str(value))

    def table(self, name: str) -> _Entry:
        value = self._get(name, True)
        if not isinstance(value, dict):
            self.fail(name, "must be a table")
        return _Entry(self.file, self.kind, value, self.label, f"{self.prefix}{name}.")

    def optional_table(self, name: str) -> _Entry | None:
        return self.table(name) if name in self.raw else None

    def done(self) -> None:
        for name in sorted(set(self.raw) - self.seen):
            self.fail(name, "unknown field")


def _read(directory: Path, file: str) -> dict:
    try:
        with open(directory / file, "rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise KnowledgeError(f"{file}: cannot read: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise KnowledgeError(f"{file}: not valid TOML: {error}") from None


def _entries(data: dict, file: str, table: str, kind: str, others=()) -> list[_Entry]:
    """The entries of one array of tables, with ids checked for form and uniqueness."""
    for key in sorted(set(data) - {table, *others}):
        raise KnowledgeError(f"{file}: unknown table '{key}'")
    raw_entries = data.get(table)
    if not isinstance(raw_entries, list) or not raw_entries:
        raise KnowledgeError(f"{file}: needs at least one [[{table}]] entry")
    entries, seen = [], set()
    for number, raw in enumerate(raw_entries, start=1):
        if not isinstance(raw, dict):
            raise KnowledgeError(f"{file}: [[{table}]] #{number}: must be a table")
        raw_id = raw.get("id")
        label = raw_id if isinstance(raw_id, str) else f"#{number}"
        entry = _Entry(file, kind, raw, label)
        entry_id = entry.text("id")
        if not _ID.match(entry_id):
            entry.fail("id", "must be lower-case letters, digits and underscores")
        if entry_id in seen:
            entry.fail("id", "repeated: ids must be unique")
        seen.add(entry_id)
        entries.append(entry)
    return entries


def _check_contract(file: str, kind: str, found, expected) -> None:
    for item in found:
        if item not in expected:
            raise KnowledgeError(f"{file}: {kind} '{item}': not in the intake contract")
    for item in expected:
        if item not in found:
            raise KnowledgeError(f"{file}: {kind} '{item}': missing (the intake contract has it)")


FILES = (
    "sources",
    "regions",
    "muscles",
    "symptoms",
    "screening",
    "conditions",
    "relations",
    "self_care",
    "education",
    "planner",
    "medications",
    "allergies",
    "implants",
    "triggers",
    "checks",
)


class _Ids:
    """The ids each file declares, read before any entry is built, so cross-references can be
    checked whatever the order of loading."""

    def __init__(self, raw: dict[str, dict]):
        self.entries = {
            "sources": _entries(raw["sources"], "sources.toml", "source", "source"),
            "regions": _entries(raw["regions"], "regions.toml", "region", "region"),
            "muscles": _entries(raw["muscles"], "muscles.toml", "muscle", "muscle"),
            "symptoms": _entries(raw["symptoms"], "symptoms.toml", "symptom", "symptom"),
            "screening": _entries(raw["screening"], "screening.toml", "flag", "flag"),
            "conditions": _entries(raw["conditions"], "conditions.toml", "condition", "condition"),
            "relations": _entries(raw["relations"], "relations.toml", "relation", "relation"),
            "self_care": _entries(raw["self_care"], "self_care.toml", "self_care", "self-care"),
            "education": _entries(raw["education"], "education.toml", "topic", "topic"),
            "medications": _entries(raw["medications"], "medications.toml", "medication", "medication"),
            "allergies": _entries(raw["allergies"], "allergies.toml", "allergy", "allergy"),
            "implants": _entries(raw["implants"], "implants.toml", "implant", "implant"),
            "triggers": _entries(raw["triggers"], "triggers.toml", "trigger", "trigger", others=("groups",)),
            "checks": _entries(raw["checks"], "checks.toml", "check", "check"),
        }
        ids = {name: [e.raw["id"] for e in entries] for name, entries in self.entries.items()}
        self.sources = ids["sources"]
        self.regions = ids["regions"]
        self.muscles = ids["muscles"]
        self.symptoms = ids["symptoms"]
        self.flags = ids["screening"]
        self.conditions = ids["conditions"]
        self.medications = ids["medications"]
        _check_contract("regions.toml", "region", self.regions, CONTRACT_REGIONS)
        _check_contract("symptoms.toml", "symptom", self.symptoms, CONTRACT_SYMPTOMS)
        _check_contract("screening.toml", "flag", self.flags, CONTRACT_FLAGS)
        _check_contract("conditions.toml", "condition", self.conditions, CONTRACT_CONDITIONS)
        _check_contract("medications.toml", "medication", self.medications, CONTRACT_MEDICATIONS)
        _check_contract("allergies.toml", "allergy", ids["allergies"], CONTRACT_ALLERGIES)
        _check_contract("implants.toml", "implant", ids["implants"], CONTRACT_IMPLANTS)
        for muscle_id in CONTRACT_MUSCLES:
            if muscle_id not in self.muscles:
                raise KnowledgeError(
                    f"muscles.toml: muscle '{muscle_id}': missing (the intake contract has it)"
                )


T = TypeVar("T")


def _each(entries: list[_Entry], build: Callable[[_Entry], T]) -> dict[str, T]:
    """Every entry of one file built by ``build``, which reads and checks its fields; then any
    field left unread is refused. Keyed by id, in the file's order."""
    built = {}
    for entry in entries:
        built[entry.raw["id"]] = build(entry)
        entry.done()
    return built


def _source(e: _Entry) -> Source:
    source = Source(
        id=e.raw["id"],
        cited_as=e.text("cited_as"),
        year=e.integer("year", 1800, 2100),
        kind=e.choice("kind", SOURCE_KINDS),
        authors=e.text("authors", False),
        title=e.text("title", False),
        published_in=e.text("published_in", False),
        link=e.text("link", False),
        note=e.text("note", False),
    )
    if source.link and not source.link.startswith("https://"):
        e.fail("link", "must start with https://")
    return source


def _symptom(e: _Entry, ids: _Ids) -> Symptom:
    return Symptom(
        id=e.raw["id"],
        name=e.text("name"),
        regions=e.ids("regions", ids.regions, "region", required=False, non_empty=True),
    )


def _muscle(e: _Entry, ids: _Ids) -> Muscle:
    uberon = e.text("uberon")
    if not _UBERON.match(uberon):
        e.fail("uberon", "must look like UBERON:0001234")
    actions = e._get("actions", True)
    if (
        not isinstance(actions, list)
        or not actions
        or not all(isinstance(a, str) and a.strip() for a in actions)
    ):
        e.fail("actions", "must be a non-empty list of text")
    referred = e.table("referred_pain")
    muscle = Muscle(
        id=e.raw["id"],
        name=e.text("name"),
        plain=e.text("plain"),
        uberon=uberon,
        origin=e.text("origin"),
        insertion=e.text("insertion"),
        nerve=e.text("nerve"),
        roots=e.text("roots"),
        actions=tuple(actions),
        note=e.text("note", False),
        deep=e.flag("deep"),
        referred_regions=referred.ids("regions", ids.regions, "region", non_empty=True),
        referred_description=referred.text("description"),
        referred_sources=referred.ids("sources", ids.sources, "source", non_empty=True),
        referred_secondary=referred.boolean("secondary"),
    )
    referred.done()
    return muscle


def _region(e: _Entry, ids: _Ids) -> Region:
    region = Region(
        id=e.raw["id"],
        name=e.text("name"),
        sides=e.choice("sides", SIDES),
        sensitive=e.boolean("sensitive"),
        muscles=e.ids("muscles", ids.muscles, "muscle"),
        why=e.text("why", False),
        draping=e.text("draping", False),
        instead=e.text("instead", False),
        sources=e.ids("sources", ids.sources, "source", False),
        fallback=e.choice("fallback", ids.regions, False),
        adjacent=e.ids("adjacent", ids.regions, "region"),
        if_declined=e.text("if_declined", False),
        risks=e.text("risks", False),
    )
    sides, sensitive = CONTRACT_REGIONS[region.id]
    if region.sides != sides:
        e.fail("sides", f"the intake contract says {sides}")
    if region.sensitive != sensitive:
        e.fail("sensitive", f"the intake contract says {str(sensitive).lower()}")
    if region.sensitive:
        for name in ("why", "draping", "instead", "if_declined", "risks"):
            if getattr(region, name) is None:
                e.fail(name, "required for a sensitive region")
    if region.id in region.adjacent:
        e.fail("adjacent", "a region is not adjacent to itself")
    return region


def _check_fallbacks(entries: list[_Entry], regions: dict[str, Region]) -> None:
    """A fallback can only be judged once every region is read."""
    for e in entries:
        region = regions[e.raw["id"]]
        fallback = region.fallback
        if fallback is not None and (
            regions[fallback].sensitive or not set(regions[fallback].muscles) & set(region.muscles)
        ):
            e.fail("fallback", f"'{fallback}' must be non-sensitive and share a muscle with it")


def _flag(e: _Entry, ids: _Ids) -> Flag:
    outcome = e.choice("outcome", FLAG_OUTCOMES)
    if outcome != CONTRACT_FLAGS[e.raw["id"]]:
        e.fail("outcome", f"the intake contract says {CONTRACT_FLAGS[e.raw['id']]}")
    conditional = outcome == "conditional"
    return Flag(
        id=e.raw["id"],
        question=e.text("question"),
        outcome=outcome,
        message=e.text("message"),
        sources=e.ids("sources", ids.sources, "source", non_empty=True),
        clearance_when_regions=e.ids("clearance_when_regions", ids.regions, "region", conditional),
        clearance_when_symptoms=e.ids("clearance_when_symptoms", ids.symptoms, "symptom", conditional),
        caution_advice=e.text("caution_advice", conditional),
    )


def _condition(e: _Entry, ids: _Ids) -> Condition:
    region_pressure = e.optional_table("region_pressure")
    exclude = e.ids("exclude_regions", ids.regions, "region", False)
    condition = Condition(
        id=e.raw["id"],
        name=e.text("name"),
        advice=e.text("advice"),
        sources=e.ids("sources", ids.sources, "source"),
        pressure_cap=e.choice("pressure_cap", PRESSURES[:2], False),
        leg_regions=(
            region_pressure.ids("regions", ids.regions, "region", non_empty=True) if region_pressure else ()
        ),
        region_pressure=(region_pressure.choice("pressure", PRESSURES[:2]) if region_pressure else None),
        region_pressure_reason=region_pressure.text("reason") if region_pressure else None,
        exclude_regions=exclude,
        excluded_note=e.text("excluded_note", bool(exclude)),
    )
    if region_pressure:
        region_pressure.done()
    return condition


def _medication(e: _Entry, ids: _Ids) -> Medication:
    return Medication(
        id=e.raw["id"],
        name=e.text("name"),
        advice=e.text("advice"),
        sources=e.ids("sources", ids.sources, "source", non_empty=True),
        pressure_cap=e.choice("pressure_cap", PRESSURES[:2], False),
    )


def _allergy(e: _Entry) -> Allergy:
    return Allergy(id=e.raw["id"], name=e.text("name"), warning=e.text("warning"))


def _implant(e: _Entry, ids: _Ids) -> Implant:
    pressure = e.optional_table("pressure")
    implant = Implant(
        id=e.raw["id"],
        name=e.text("name"),
        advice=e.text("advice"),
        sources=e.ids("sources", ids.sources, "source", non_empty=True),
        pressure_regions=(
            pressure.ids("regions", [*ids.regions, "at_implant"], "region", non_empty=True)
            if pressure
            else ()
        ),
        pressure=pressure.choice("pressure", PRESSURES[:2]) if pressure else None,
        pressure_reason=pressure.text("reason") if pressure else None,
        check=e.text("check", False),
        positioning=e.text("positioning", False),
        end_range=e.flag("end_range"),
    )
    if pressure:
        pressure.done()
    return implant


def _region_groups(data: dict, ids: _Ids) -> dict[str, tuple[str, ...]]:
    groups = data.get("groups", {})
    if not isinstance(groups, dict):
        raise KnowledgeError("triggers.toml: [groups] must be a table")
    entry = _Entry("triggers.toml", "table", groups, "groups")
    found = {name: entry.ids(name, ids.regions, "region", non_empty=True) for name in groups}
    entry.done()
    return found


def _load_clause(entry: _Entry, ids: _Ids, groups: dict[str, tuple[str, ...]]) -> Clause:
    def regions(name: str) -> tuple[str, ...]:
        known = [*ids.regions, *(f"group:{g}" for g in groups)]
        found: list[str] = []
        for item in entry.ids(name, known, "region or group", False):
            found += groups[item[6:]] if item.startswith("group:") else [item]
        return tuple(dict.fromkeys(found))

    history = [*ids.conditions, *ids.medications, *ids.flags, *HISTORY_EXTRAS]
    clause = Clause(
        regions=regions("regions"),
        symptoms_any=entry.ids("symptoms_any", ids.symptoms, "symptom", False),
        pain_at_least=entry.integer("pain_at_least", 0, 10) if "pain_at_least" in entry.raw else None,
        weeks_under=entry.number("weeks_under", 0, 520, False),
        sudden=entry.flag("sudden"),
        bilateral=entry.flag("bilateral"),
        one_side=entry.flag("one_side"),
        also_regions=regions("also_regions"),
        age_at_least=entry.integer("age_at_least", 0, 120) if "age_at_least" in entry.raw else None,
        age_under=entry.integer("age_under", 0, 120) if "age_under" in entry.raw else None,
        history_any=entry.ids("history_any", history, "history", False),
        pregnancy_complications=entry.flag("pregnancy_complications"),
    )
    entry.done()
    if clause.bilateral and clause.one_side:
        entry.fail("one_side", "a clause cannot ask for both sides and one side")
    if not (
        clause.needs_complaint
        or clause.also_regions
        or clause.age_at_least is not None
        or clause.age_under is not None
        or clause.history_any
        or clause.pregnancy_complications
    ):
        entry.fail("regions", "a clause needs at least one field")
    return clause


def _load_triggers(ids: _Ids, data: dict) -> tuple[Trigger, ...]:
    groups = _region_groups(data, ids)
    return tuple(_each(ids.entries["triggers"], lambda e: _trigger(e, ids, groups)).values())


def _trigger(e: _Entry, ids: _Ids, groups: dict[str, tuple[str, ...]]) -> Trigger:
    raw_clauses = e._get("when", True)
    if (
        not isinstance(raw_clauses, list)
        or not raw_clauses
        or not all(isinstance(c, dict) for c in raw_clauses)
    ):
        e.fail("when", "must be at least one [[trigger.when]] table")
    clauses = tuple(
        _load_clause(_Entry(e.file, e.kind, raw, e.label, f"when[{index}]."), ids, groups)
        for index, raw in enumerate(raw_clauses)
    )
    trigger = Trigger(
        id=e.raw["id"],
        outcome=e.choice("outcome", TRIGGER_OUTCOMES),
        message=e.text("message"),
        sources=e.ids("sources", ids.sources, "source", non_empty=True),
        clauses=clauses,
        screening=e.choice("screening", ids.flags, False),
    )
    if trigger.outcome == "emergency" and "emergency department" not in trigger.message:
        e.fail("message", "an emergency must send the client to an emergency department")
    if "routine" in trigger.message.lower():
        e.fail("message", "a referral never calls itself routine")
    return trigger


def _check(e: _Entry, ids: _Ids) -> Check:
    return Check(
        id=e.raw["id"],
        text=e.text("text"),
        reason=e.text("reason"),
        sources=e.ids("sources", ids.sources, "source"),
    )


def _relation(e: _Entry, ids: _Ids, regions: dict[str, Region], muscles: dict[str, Muscle]) -> Relation:
    kind = e.choice("kind", RELATION_KINDS)
    evidence = e.choice("evidence", EVIDENCE_LEVELS)
    relation = Relation(
        id=e.raw["id"],
        kind=kind,
        complaint_regions=e.ids(
            "complaint_regions", ids.regions, "region", kind != "stress", non_empty=kind != "stress"
        ),
        symptoms_any=e.ids("symptoms_any", ids.symptoms, "symptom", False),
        regions=e.ids("regions", ids.regions, "region", non_empty=True),
        muscles=e.ids("muscles", ids.muscles, "muscle", non_empty=True),
        weight=Fraction(0),
        reason=e.text("reason"),
        evidence=evidence,
        sources=e.ids("sources", ids.sources, "source"),
    )
    if kind == "stress" and (relation.complaint_regions or relation.symptoms_any):
        e.fail("complaint_regions", "a stress relation is triggered by stress alone")
    if not relation.sources and evidence != "expert_opinion":
        e.fail("sources", f"required for evidence '{evidence}' (only expert_opinion may have none)")
    for region_id in relation.regions:
        for muscle_id in relation.muscles:
            if muscle_id not in regions[region_id].muscles:
                e.fail("muscles", f"'{muscle_id}' does not lie in region '{region_id}'")
    if kind == "referred_pain":
        for muscle_id in relation.muscles:
            for region_id in relation.complaint_regions:
                if region_id not in muscles[muscle_id].referred_regions:
                    e.fail(
                        "complaint_regions",
                        f"muscle '{muscle_id}' is not described as referring pain to "
                        f"'{region_id}' (muscles.toml)",
                    )
    return relation


def _self_care(e: _Entry, ids: _Ids) -> SelfCare:
    item = SelfCare(
        id=e.raw["id"],
        name=e.text("name"),
        targets=e.ids("targets", ids.muscles, "muscle", non_empty=True),
        instructions=e.text("instructions"),
        sources=e.ids("sources", ids.sources, "source"),
        not_with=e.ids("not_with", ids.conditions, "condition", False),
        not_with_medications=e.ids("not_with_medications", ids.medications, "medication", False),
        lying_on_back=e.flag("lying_on_back"),
        end_range_of=e.ids("end_range_of", ids.regions, "region", False),
    )
    if "Stop if" not in item.instructions:
        e.fail("instructions", "must tell the client when to stop ('Stop if ...')")
    return item


def _topic(e: _Entry, ids: _Ids) -> Topic:
    tags = e._get("relevant_when", True)
    if not isinstance(tags, list) or not tags:
        e.fail("relevant_when", "must be a non-empty list")
    for tag in tags:
        if not _valid_tag(tag, ids.regions, ids.muscles):
            e.fail("relevant_when", f"unknown tag {tag!r}")
    return Topic(
        id=e.raw["id"],
        title=e.text("title"),
        text=e.text("text"),
        sources=e.ids("sources", ids.sources, "source", non_empty=True),
        relevant_when=tuple(tags),
    )


def load_from(directory: str | Path) -> Knowledge:
    """Load and validate the knowledge base in ``directory`` (not cached)."""
    directory = Path(directory)
    raw = {name: _read(directory, f"{name}.toml") for name in FILES}
    ids = _Ids(raw)
    entries = ids.entries
    sources = _each(entries["sources"], _source)
    muscles = _each(entries["muscles"], lambda e: _muscle(e, ids))
    regions = _each(entries["regions"], lambda e: _region(e, ids))
    _check_fallbacks(entries["regions"], regions)
    muscle_regions = {m: tuple(r.id for r in regions.values() if m in r.muscles) for m in muscles}
    for e in entries["muscles"]:
        if not muscle_regions[e.raw["id"]]:
            e.fail("id", "the muscle lies in no region: add it to a region's muscles")
    relations = tuple(_each(entries["relations"], lambda e: _relation(e, ids, regions, muscles)).values())
    settings, rules = _settings(raw["planner"], ids)
    relations = tuple(_weighted(r, rules) for r in relations)

    by_region: dict[str, list[Relation]] = {}
    for relation in relations:
        for region_id in relation.complaint_regions:
            by_region.setdefault(region_id, []).append(relation)
    # The files are read in the order of these fields, so with several broken the same one is named.
    return Knowledge(
        sources=sources,
        regions=regions,
        muscles=muscles,
        symptoms=_each(entries["symptoms"], lambda e: _symptom(e, ids)),
        flags=_each(entries["screening"], lambda e: _flag(e, ids)),
        conditions=_each(entries["conditions"], lambda e: _condition(e, ids)),
        relations=relations,
        self_care=tuple(_each(entries["self_care"], lambda e: _self_care(e, ids)).values()),
        topics=tuple(_each(entries["education"], lambda e: _topic(e, ids)).values()),
        settings=settings,
        medications=_each(entries["medications"], lambda e: _medication(e, ids)),
        allergies=_each(entries["allergies"], _allergy),
        implants=_each(entries["implants"], lambda e: _implant(e, ids)),
        triggers=_load_triggers(ids, raw["triggers"]),
        checks=_each(entries["checks"], lambda e: _check(e, ids)),
        rules=rules,
        region_order={region_id: index for index, region_id in enumerate(regions)},
        muscle_regions=muscle_regions,
        relations_by_region={k: tuple(v) for k, v in by_region.items()},
        stress_relations=tuple(r for r in relations if r.kind == "stress"),
    )


def _weighted(relation: Relation, rules: Rules) -> Relation:
    """The relation with the weight its evidence earns (planner.toml, [evidence_weights])."""
    return replace(relation, weight=rules.evidence_weights[relation.evidence])


def _valid_tag(tag, region_ids, muscle_ids) -> bool:
    if not isinstance(tag, str):
        return False
    if tag in ("always", "complaints", "stress"):
        return True
    prefix, _, value = tag.partition(":")
    if prefix in ("region", "complaint"):
        return value in region_ids
    return prefix == "structure" and value in muscle_ids


_PLANNER_TABLES = (
    "scoring",
    "relaxation",
    "evidence_weights",
    "caps",
    "deep",
    "acute",
    "numbness",
    "surgery",
    "skin",
    "pregnancy",
    "neck_dizziness",
    "groups",
)


def _settings(data: dict, ids: _Ids) -> tuple[Settings, Rules]:
    """The [scoring] and [relaxation] settings, and the rules of sections 3 and 4."""
    for key in sorted(set(data) - {*_PLANNER_TABLES, "age_band"}):
        raise KnowledgeError(f"planner.toml: unknown table '{key}'")
    for key in _PLANNER_TABLES:
        if not isinstance(data.get(key), dict):
            raise KnowledgeError(f"planner.toml: needs a [{key}] table")
    t = {key: _Entry("planner.toml", "table", data[key], key) for key in _PLANNER_TABLES}
    scoring, relaxation = t["scoring"], t["relaxation"]
    settings = Settings(
        complaint_base=scoring.integer("complaint_base", 1, 100),
        stress_threshold=scoring.integer("stress_threshold", 0, 10),
        relaxation_score=scoring.integer("relaxation_score", 1, 100),
        max_self_care=scoring.integer("max_self_care", 0, 20),
        relaxation_regions=relaxation.ids("regions", ids.regions, "region", non_empty=True),
        relaxation_reason=relaxation.text("reason"),
        fill_reason=relaxation.text("fill_reason"),
    )

    weights_entry = t["evidence_weights"]
    weights = {level: weights_entry.weight(level) for level in EVIDENCE_LEVELS}
    ordered = ("guideline", "experimental_study", "clinical_description", "expert_opinion")
    for stronger, weaker in zip(ordered, ordered[1:], strict=False):
        if not weights[stronger] > weights[weaker]:
            weights_entry.fail(weaker, f"must be below {stronger}: weaker evidence weighs less")
    for name in ("systematic_review", "rct", "cadaver_study"):
        if not weights["clinical_description"] < weights[name] <= weights["guideline"]:
            weights_entry.fail(name, "must be above clinical_description, at most guideline")

    caps, deep, acute = t["caps"], t["deep"], t["acute"]
    numbness, surgery, skin = t["numbness"], t["surgery"], t["skin"]
    pregnancy, neck, groups = t["pregnancy"], t["neck_dizziness"], t["groups"]
    for entry in (weights_entry, caps, deep, acute, numbness, surgery, skin, pregnancy, neck):
        entry.ids("sources", ids.sources, "source", non_empty=True)
    region_share = caps.weight("region_share")
    sensitive_share = caps.weight("sensitive_share")
    if sensitive_share > region_share:
        caps.fail("sensitive_share", "must be at most region_share")
    exclude_weeks = surgery.number("exclude_under_weeks", 0, 520)
    light_weeks = surgery.number("light_under_weeks", 0, 520)
    if light_weeks < exclude_weeks:
        surgery.fail("light_under_weeks", "must be at least exclude_under_weeks")
    if "{muscles}" not in deep.text("reason"):
        deep.fail("reason", "must contain {muscles}")
    rules = Rules(
        evidence_weights=weights,
        region_share=region_share,
        sensitive_share=sensitive_share,
        unallocated_note=caps.text("unallocated_note"),
        not_reached_note=caps.text("not_reached_note"),
        adjacent_reason=caps.text("adjacent_reason"),
        deep_reason=deep.raw["reason"],
        age_bands=_age_bands(data.get("age_band", []), ids),
        acute_symptoms=acute.ids("symptoms", ids.symptoms, "symptom", non_empty=True),
        acute_sharp_under_weeks=acute.number("sharp_under_weeks", 0, 520),
        acute_pressure=acute.choice("pressure", PRESSURES[:2]),
        acute_reason=acute.text("reason"),
        numbness_pressure=numbness.choice("pressure", PRESSURES[:2]),
        numbness_reason=numbness.text("reason"),
        surgery_exclude_weeks=exclude_weeks,
        surgery_light_weeks=light_weeks,
        surgery_legs_pressure=surgery.choice("legs_pressure", PRESSURES[:2]),
        surgery_legs_reason=surgery.text("legs_reason"),
        surgery_light_reason=surgery.text("light_reason"),
        surgery_excluded_note=surgery.text("excluded_note"),
        skin_worked_around=skin.ids(
            "worked_around", ("rash", "wound", "infection", "burn", "bruise", "other"), "skin kind"
        ),
        skin_pressure=skin.choice("pressure", PRESSURES[:2]),
        skin_around_reason=skin.text("around_reason"),
        skin_excluded_note=skin.text("excluded_note"),
        pregnancy_from_weeks=pregnancy.integer("from_weeks", 0, 42),
        pregnancy_positioning=pregnancy.text("positioning"),
        pregnancy_legs_pressure=pregnancy.choice("legs_pressure", PRESSURES[:2]),
        pregnancy_legs_reason=pregnancy.text("legs_reason"),
        pregnancy_light_regions=pregnancy.ids("light_regions", ids.regions, "region"),
        pregnancy_light_reason=pregnancy.text("light_reason"),
        neck_dizziness_condition=neck.choice("condition", ids.conditions),
        neck_dizziness_reason=neck.text("reason"),
        legs=groups.ids("legs", ids.regions, "region", non_empty=True),
    )
    for entry in t.values():
        entry.done()
    return settings, rules


def _age_bands(raw: list, ids: _Ids) -> tuple[AgeBand, ...]:
    entries = _entries({"age_band": raw}, "planner.toml", "age_band", "age band")
    return tuple(_each(entries, lambda e: _age_band(e, ids)).values())


def _age_band(e: _Entry, ids: _Ids) -> AgeBand:
    band = AgeBand(
        id=e.raw["id"],
        advice=e.text("advice"),
        sources=e.ids("sources", ids.sources, "source", non_empty=True),
        under=e.integer("under", 0, 121) if "under" in e.raw else None,
        at_least=e.integer("at_least", 0, 120) if "at_least" in e.raw else None,
        pressure_cap=e.choice("pressure_cap", PRESSURES[:2], False),
        guardian_for_sensitive=e.flag("guardian_for_sensitive"),
        positioning=e.text("positioning", False),
    )
    if band.under is None and band.at_least is None:
        e.fail("under", "an age band needs under, at_least or both")
    return band


@functools.cache
def load() -> Knowledge:
    """The packaged knowledge base, loaded and validated once per process."""
    return load_from(DATA_DIR)
