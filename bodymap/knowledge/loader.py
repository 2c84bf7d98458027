"""Load the knowledge base from its TOML files and validate every entry on the way in.

Errors name the file, the entry and the field, e.g.
``muscles.toml: muscle 'piriformis': field 'uberon': required``.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

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
SOURCE_KINDS = ("journal_article", "guideline", "book", "website", "standard")
FLAG_OUTCOMES = ("emergency", "clearance", "conditional")
SIDES = ("midline", "left_right")

# The vocabulary of the intake contract (spec/intake-plan-v1.md). The data files must match it
# exactly: the contract changes only by a new version, never by editing a data file.
CONTRACT_REGIONS = {
    # id: (sides, sensitive)
    **{r: ("midline", False) for r in
       ("scalp", "face", "neck", "upper_back", "mid_back", "low_back", "sacrum")},
    "chest": ("midline", True),
    "abdomen": ("midline", True),
    **{r: ("left_right", False) for r in
       ("jaw", "shoulder", "upper_arm", "forearm", "hand", "lateral_hip", "anterior_thigh",
        "posterior_thigh", "lateral_thigh", "knee", "calf", "shin", "foot")},
    "gluteal": ("left_right", True),
    "inner_thigh": ("left_right", True),
}
CONTRACT_SYMPTOMS = (
    "ache", "stiffness", "sharp", "burning", "radiating", "numbness", "tingling", "weakness",
    "clenching", "headache", "worse_sitting", "worse_standing", "night_pain", "swelling",
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
    "anticoagulants", "bleeding_disorder", "pregnancy", "osteoporosis", "recent_surgery",
    "varicose_veins", "diabetes_neuropathy", "dvt_history", "hypertension", "skin_condition",
)
CONTRACT_MUSCLES = (
    "gluteus_maximus", "gluteus_medius", "gluteus_minimus", "piriformis", "quadratus_lumborum",
    "erector_spinae", "iliopsoas", "tensor_fasciae_latae", "hamstrings", "masseter",
    "temporalis", "upper_trapezius", "levator_scapulae",
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


@dataclass(frozen=True)
class Symptom:
    id: str
    name: str


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
        }


class _Entry:
    """One entry of a data file, read field by field; any problem raises a KnowledgeError."""

    def __init__(self, file: str, kind: str, raw: dict, label: str, prefix: str = ""):
        self.file, self.kind, self.raw, self.label, self.prefix = file, kind, raw, label, prefix
        self.seen: set[str] = set()

    def fail(self, name: str, rule: str):
        raise KnowledgeError(
            f"{self.file}: {self.kind} '{self.label}': field '{self.prefix}{name}': {rule}"
        )

    def _get(self, name: str, required: bool):
        self.seen.add(name)
        if name not in self.raw:
            if required:
                self.fail(name, "required")
            return None
        return self.raw[name]

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

    def choice(self, name: str, allowed, required: bool = True) -> str | None:
        value = self._get(name, required)
        if value is None:
            return None
        if value not in allowed:
            self.fail(name, "must be one of " + ", ".join(allowed))
        return value

    def ids(self, name: str, known, what: str, required: bool = True,
            non_empty: bool = False) -> tuple[str, ...]:
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


def _entries(data: dict, file: str, table: str, kind: str) -> list[_Entry]:
    """The entries of one array of tables, with ids checked for form and uniqueness."""
    for key in sorted(set(data) - {table}):
        raise KnowledgeError(f"{file}: unknown table '{key}'")
    raw_entries = data.get(table)
    if not isinstance(raw_entries, list) or not raw_entries:
        raise KnowledgeError(f"{file}: needs at least one [[{table}]] entry")
    entries, seen = [], set()
    for number, raw in enumerate(raw_entries, start=1):
        if not isinstance(raw, dict):
            raise KnowledgeError(f"{file}: [[{table}]] #{number}: must be a table")
        label = raw.get("id") if isinstance(raw.get("id"), str) else f"#{number}"
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
            raise KnowledgeError(f"{file}: {kind} '{item}': not in the intake contract v1")
    for item in expected:
        if item not in found:
            raise KnowledgeError(f"{file}: {kind} '{item}': missing (the intake contract v1 has it)")


def load_from(directory: str | Path) -> Knowledge:
    """Load and validate the knowledge base in ``directory`` (not cached)."""
    directory = Path(directory)
    raw = {name: _read(directory, f"{name}.toml") for name in (
        "sources", "regions", "muscles", "symptoms", "screening", "conditions", "relations",
        "self_care", "education", "planner")}

    source_entries = _entries(raw["sources"], "sources.toml", "source", "source")
    region_entries = _entries(raw["regions"], "regions.toml", "region", "region")
    muscle_entries = _entries(raw["muscles"], "muscles.toml", "muscle", "muscle")
    symptom_entries = _entries(raw["symptoms"], "symptoms.toml", "symptom", "symptom")
    screening = dict(raw["screening"])
    flag_entries = _entries(screening, "screening.toml", "flag", "flag")
    condition_entries = _entries(raw["conditions"], "conditions.toml", "condition", "condition")
    relation_entries = _entries(raw["relations"], "relations.toml", "relation", "relation")
    care_entries = _entries(raw["self_care"], "self_care.toml", "self_care", "self-care")
    topic_entries = _entries(raw["education"], "education.toml", "topic", "topic")

    source_ids = [e.raw["id"] for e in source_entries]
    region_ids = [e.raw["id"] for e in region_entries]
    muscle_ids = [e.raw["id"] for e in muscle_entries]
    symptom_ids = [e.raw["id"] for e in symptom_entries]
    condition_ids = [e.raw["id"] for e in condition_entries]

    _check_contract("regions.toml", "region", region_ids, CONTRACT_REGIONS)
    _check_contract("symptoms.toml", "symptom", symptom_ids, CONTRACT_SYMPTOMS)
    _check_contract("screening.toml", "flag", [e.raw["id"] for e in flag_entries], CONTRACT_FLAGS)
    _check_contract("conditions.toml", "condition", condition_ids, CONTRACT_CONDITIONS)
    for muscle_id in CONTRACT_MUSCLES:
        if muscle_id not in muscle_ids:
            raise KnowledgeError(
                f"muscles.toml: muscle '{muscle_id}': missing (the intake contract v1 has it)")

    sources = {}
    for e in source_entries:
        sources[e.raw["id"]] = Source(
            id=e.raw["id"], cited_as=e.text("cited_as"), year=e.integer("year", 1800, 2100),
            kind=e.choice("kind", SOURCE_KINDS), authors=e.text("authors", False),
            title=e.text("title", False), published_in=e.text("published_in", False),
            link=e.text("link", False), note=e.text("note", False))
        if sources[e.raw["id"]].link and not sources[e.raw["id"]].link.startswith("https://"):
            e.fail("link", "must start with https://")
        e.done()

    symptoms = {}
    for e in symptom_entries:
        symptoms[e.raw["id"]] = Symptom(id=e.raw["id"], name=e.text("name"))
        e.done()

    muscles = {}
    for e in muscle_entries:
        uberon = e.text("uberon")
        if not _UBERON.match(uberon):
            e.fail("uberon", "must look like UBERON:0001234")
        actions = e._get("actions", True)
        if not isinstance(actions, list) or not actions or not all(
                isinstance(a, str) and a.strip() for a in actions):
            e.fail("actions", "must be a non-empty list of text")
        referred = e.table("referred_pain")
        muscles[e.raw["id"]] = Muscle(
            id=e.raw["id"], name=e.text("name"), plain=e.text("plain"), uberon=uberon,
            origin=e.text("origin"), insertion=e.text("insertion"), nerve=e.text("nerve"),
            roots=e.text("roots"), actions=tuple(actions), note=e.text("note", False),
            referred_regions=referred.ids("regions", region_ids, "region", non_empty=True),
            referred_description=referred.text("description"),
            referred_sources=referred.ids("sources", source_ids, "source", non_empty=True),
            referred_secondary=referred.boolean("secondary"))
        referred.done()
        e.done()

    regions = {}
    for e in region_entries:
        region = Region(
            id=e.raw["id"], name=e.text("name"), sides=e.choice("sides", SIDES),
            sensitive=e.boolean("sensitive"), muscles=e.ids("muscles", muscle_ids, "muscle"),
            why=e.text("why", False), draping=e.text("draping", False),
            instead=e.text("instead", False), sources=e.ids("sources", source_ids, "source", False),
            fallback=e.choice("fallback", region_ids, False))
        sides, sensitive = CONTRACT_REGIONS[region.id]
        if region.sides != sides:
            e.fail("sides", f"the intake contract v1 says {sides}")
        if region.sensitive != sensitive:
            e.fail("sensitive", f"the intake contract v1 says {str(sensitive).lower()}")
        if region.sensitive:
            for name in ("why", "draping", "instead"):
                if getattr(region, name) is None:
                    e.fail(name, "required for a sensitive region")
        regions[region.id] = region
        e.done()
    for e in region_entries:
        fallback = regions[e.raw["id"]].fallback
        if fallback is not None and (
                regions[fallback].sensitive
                or not set(regions[fallback].muscles) & set(regions[e.raw["id"]].muscles)):
            e.fail("fallback", f"'{fallback}' must be non-sensitive and share a muscle with it")

    muscle_regions = {
        m: tuple(r.id for r in regions.values() if m in r.muscles) for m in muscles}
    for e in muscle_entries:
        if not muscle_regions[e.raw["id"]]:
            e.fail("id", "the muscle lies in no region: add it to a region's muscles")

    flags = {}
    for e in flag_entries:
        outcome = e.choice("outcome", FLAG_OUTCOMES)
        if outcome != CONTRACT_FLAGS[e.raw["id"]]:
            e.fail("outcome", f"the intake contract v1 says {CONTRACT_FLAGS[e.raw['id']]}")
        conditional = outcome == "conditional"
        flags[e.raw["id"]] = Flag(
            id=e.raw["id"], question=e.text("question"), outcome=outcome,
            message=e.text("message"),
            sources=e.ids("sources", source_ids, "source", non_empty=True),
            clearance_when_regions=e.ids("clearance_when_regions", region_ids, "region",
                                         conditional),
            clearance_when_symptoms=e.ids("clearance_when_symptoms", symptom_ids, "symptom",
                                          conditional),
            caution_advice=e.text("caution_advice", conditional))
        e.done()

    conditions = {}
    for e in condition_entries:
        region_pressure = e.optional_table("region_pressure")
        exclude = e.ids("exclude_regions", region_ids, "region", False)
        conditions[e.raw["id"]] = Condition(
            id=e.raw["id"], name=e.text("name"), advice=e.text("advice"),
            sources=e.ids("sources", source_ids, "source"),
            pressure_cap=e.choice("pressure_cap", PRESSURES[:2], False),
            leg_regions=(region_pressure.ids("regions", region_ids, "region", non_empty=True)
                         if region_pressure else ()),
            region_pressure=(region_pressure.choice("pressure", PRESSURES[:2])
                             if region_pressure else None),
            region_pressure_reason=region_pressure.text("reason") if region_pressure else None,
            exclude_regions=exclude, excluded_note=e.text("excluded_note", bool(exclude)))
        if region_pressure:
            region_pressure.done()
        e.done()

    relations = []
    for e in relation_entries:
        kind = e.choice("kind", RELATION_KINDS)
        evidence = e.choice("evidence", EVIDENCE_LEVELS)
        relation = Relation(
            id=e.raw["id"], kind=kind,
            complaint_regions=e.ids("complaint_regions", region_ids, "region",
                                    kind != "stress", non_empty=kind != "stress"),
            symptoms_any=e.ids("symptoms_any", symptom_ids, "symptom", False),
            regions=e.ids("regions", region_ids, "region", non_empty=True),
            muscles=e.ids("muscles", muscle_ids, "muscle", non_empty=True),
            weight=e.weight("weight"), reason=e.text("reason"), evidence=evidence,
            sources=e.ids("sources", source_ids, "source"))
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
                        e.fail("complaint_regions",
                               f"muscle '{muscle_id}' is not described as referring pain to "
                               f"'{region_id}' (muscles.toml)")
        relations.append(relation)
        e.done()

    self_care = []
    for e in care_entries:
        item = SelfCare(
            id=e.raw["id"], name=e.text("name"),
            targets=e.ids("targets", muscle_ids, "muscle", non_empty=True),
            instructions=e.text("instructions"), sources=e.ids("sources", source_ids, "source"),
            not_with=e.ids("not_with", condition_ids, "condition", False))
        if "Stop if" not in item.instructions:
            e.fail("instructions", "must tell the client when to stop ('Stop if ...')")
        self_care.append(item)
        e.done()

    topics = []
    for e in topic_entries:
        tags = e._get("relevant_when", True)
        if not isinstance(tags, list) or not tags:
            e.fail("relevant_when", "must be a non-empty list")
        for tag in tags:
            if not _valid_tag(tag, region_ids, muscle_ids):
                e.fail("relevant_when", f"unknown tag {tag!r}")
        topics.append(Topic(
            id=e.raw["id"], title=e.text("title"), text=e.text("text"),
            sources=e.ids("sources", source_ids, "source", non_empty=True),
            relevant_when=tuple(tags)))
        e.done()

    settings = _settings(raw["planner"], region_ids)

    region_order = {region_id: index for index, region_id in enumerate(regions)}
    by_region: dict[str, list[Relation]] = {}
    for relation in relations:
        for region_id in relation.complaint_regions:
            by_region.setdefault(region_id, []).append(relation)
    return Knowledge(
        sources=sources, regions=regions, muscles=muscles, symptoms=symptoms, flags=flags,
        conditions=conditions, relations=tuple(relations), self_care=tuple(self_care),
        topics=tuple(topics), settings=settings, region_order=region_order,
        muscle_regions=muscle_regions,
        relations_by_region={k: tuple(v) for k, v in by_region.items()},
        stress_relations=tuple(r for r in relations if r.kind == "stress"))


def _valid_tag(tag, region_ids, muscle_ids) -> bool:
    if not isinstance(tag, str):
        return False
    if tag in ("always", "complaints", "stress"):
        return True
    prefix, _, value = tag.partition(":")
    if prefix in ("region", "complaint"):
        return value in region_ids
    return prefix == "structure" and value in muscle_ids


def _settings(data: dict, region_ids) -> Settings:
    for key in sorted(set(data) - {"scoring", "relaxation"}):
        raise KnowledgeError(f"planner.toml: unknown table '{key}'")
    for key in ("scoring", "relaxation"):
        if not isinstance(data.get(key), dict):
            raise KnowledgeError(f"planner.toml: needs a [{key}] table")
    scoring = _Entry("planner.toml", "table", data["scoring"], "scoring")
    relaxation = _Entry("planner.toml", "table", data["relaxation"], "relaxation")
    settings = Settings(
        complaint_base=scoring.integer("complaint_base", 1, 100),
        stress_threshold=scoring.integer("stress_threshold", 0, 10),
        relaxation_score=scoring.integer("relaxation_score", 1, 100),
        max_self_care=scoring.integer("max_self_care", 0, 20),
        relaxation_regions=relaxation.ids("regions", region_ids, "region", non_empty=True),
        relaxation_reason=relaxation.text("reason"))
    scoring.done()
    relaxation.done()
    return settings


@functools.cache
def load() -> Knowledge:
    """The packaged knowledge base, loaded and validated once per process."""
    return load_from(DATA_DIR)
