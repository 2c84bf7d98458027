"""Validate an intake against the contract (docs/intake-plan-v2.md; version 1 is read as version 2
with every new field absent), collecting every problem as ``"path: rule"``.

Whole numbers must be JSON integers: ``6.0`` is refused for a pain or stress rating, because a
form that sends it has a bug, and a rating like ``6.5`` has no meaning on the 0 to 10 scale.
Booleans are never numbers. Lists may not repeat an id.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import TypeVar

from .loader import PRESSURES, Knowledge

T = TypeVar("T")


def checked(value: T | None) -> T:
    """A value the checks made sure of (an intake with a missing value was refused, with an error,
    before it could reach this point)."""
    if value is None:
        raise RuntimeError("a value the intake checks guarantee is missing")
    return value


SIDES = ("left", "right", "both")
CONSENT_VALUES = ("granted", "over_drape", "declined")
ONSETS = ("sudden", "gradual")
GOALS = ("relaxation", "treatment", "both")
SKIN_KINDS = ("rash", "wound", "infection", "burn", "bruise", "other")
IMPLANT_KINDS = ("pacemaker", "joint_replacement", "breast_implants", "port", "neurostimulator", "other")
V1_FIELDS = (
    "version",
    "session_minutes",
    "age",
    "pressure",
    "complaints",
    "stress",
    "screening",
    "conditions",
    "consent",
    "avoid",
)
V2_FIELDS = (
    "medications",
    "medications_text",
    "allergies",
    "allergies_text",
    "pregnancy",
    "surgeries",
    "skin",
    "implants",
    "guardian",
    "goals",
)
FIELDS = V1_FIELDS + V2_FIELDS
COMPLAINT_FIELDS = ("region", "side", "pain", "symptoms", "weeks", "onset")
MEDICATIONS_TEXT_LIMIT = 1000
ALLERGIES_TEXT_LIMIT = 500
# Version 1 spelled the blood thinner as a condition; version 2 also lists it as a medicine.
ANTICOAGULANT_CONDITION = "anticoagulants"
ANTICOAGULANT_MEDICATION = "anticoagulant"
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class IntakeError(ValueError):
    """The intake breaks the contract; ``errors`` lists every problem as ``"path: rule"``."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Complaint:
    index: int  # position in the intake's complaints, for referrals[].evidence
    region: str
    side: str  # left, right or both; "both" for midline regions, where side is ignored
    pain: int
    symptoms: tuple[str, ...]
    weeks: float | None
    onset: str | None


@dataclass(frozen=True)
class Site:
    """A surgery, skin problem or implant, with where it is (region None: not said)."""

    index: int
    kind: str
    region: str | None
    side: str
    weeks_ago: float | None = None

    @property
    def weeks(self) -> float:
        """Weeks since a surgery: every surgery says it (skin entries and implants do not)."""
        return checked(self.weeks_ago)


@dataclass(frozen=True)
class Guardian:
    name: str
    consents: bool
    present: bool


@dataclass(frozen=True)
class Pregnancy:
    weeks: int
    complications: bool


@dataclass(frozen=True)
class Intake:
    session_minutes: int
    age: int | None
    pressure: str
    complaints: tuple[Complaint, ...]
    stress: int
    flags: frozenset[str]
    conditions: frozenset[str]
    consent: dict[str, str]
    avoid: frozenset[str]
    medications: frozenset[str] = frozenset()
    medications_text: str = ""
    allergies: tuple[str, ...] = ()
    allergies_text: str = ""
    pregnancy: Pregnancy | None = None
    surgeries: tuple[Site, ...] = ()
    skin: tuple[Site, ...] = ()
    implants: tuple[Site, ...] = ()
    guardian: Guardian | None = None
    goals: str = "both"


def key_path(parent: str, key: str) -> str:
    """``parent.key``, quoting keys that are not plain names so every message stays one line."""
    if _PLAIN_KEY.match(key):
        return f"{parent}.{key}" if parent else key
    return f"{parent}[{json.dumps(key)}]"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class _Checker:
    def __init__(self, knowledge: Knowledge):
        self.kb = knowledge
        self.errors: list[str] = []

    def error(self, path: str, rule: str) -> None:
        self.errors.append(f"{path}: {rule}")

    def whole(self, value, path: str, low: int, high: int) -> int | None:
        if _is_int(value) and low <= value <= high:
            return value
        self.error(path, f"must be a whole number from {low} to {high}")
        return None

    def boolean(self, value, path: str) -> bool | None:
        if isinstance(value, bool):
            return value
        self.error(path, "must be true or false")
        return None

    def text(self, value, path: str, limit: int) -> str:
        if not isinstance(value, str):
            self.error(path, "must be text")
            return ""
        if len(value) > limit:
            self.error(path, f"must be at most {limit:,} characters")
            return ""
        return value

    def choice(self, value, path: str, allowed) -> str | None:
        if isinstance(value, str) and value in allowed:
            return value
        self.error(path, "must be one of " + ", ".join(allowed))
        return None

    def unknown_keys(self, data: dict, allowed, parent: str) -> None:
        for key in sorted(k for k in data if k not in allowed):
            self.error(key_path(parent, key), "unknown field")

    def obj(self, value, path: str) -> dict | None:
        if isinstance(value, dict):
            return value
        self.error(path, "must be an object")
        return None

    def items(self, data: dict, name: str) -> list:
        value = data.get(name, [])
        if isinstance(value, list):
            return value
        self.error(name, "must be a list")
        return []

    def id_list(self, value, path: str, known, what: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            self.error(path, "must be a list")
            return ()
        found, seen = [], set()
        for index, item in enumerate(value):
            item_path = f"{path}[{index}]"
            if not isinstance(item, str) or item not in known:
                self.error(item_path, f"must be {what}")
            elif item in seen:
                self.error(item_path, "repeated")
            else:
                seen.add(item)
                found.append(item)
        return tuple(found)

    def region(self, value: dict, path: str, required: bool) -> str | None:
        if "region" not in value:
            if required:
                self.error(f"{path}.region", "required")
            return None
        region = value["region"]
        if not isinstance(region, str) or region not in self.kb.regions:
            self.error(f"{path}.region", "must be a region id")
            return None
        return region

    def side(self, value: dict, path: str, region: str | None) -> str:
        side = value.get("side", "both")
        if side not in SIDES:
            self.error(f"{path}.side", "must be one of left, right, both")
            return "both"
        if region is not None and self.kb.regions[region].sides == "midline":
            return "both"
        return side

    def complaint(self, value, path: str, index: int) -> Complaint | None:
        if self.obj(value, path) is None:
            return None
        before = len(self.errors)
        self.unknown_keys(value, COMPLAINT_FIELDS, path)
        region = self.region(value, path, required=True)
        side = self.side(value, path, region)
        pain = None
        if "pain" not in value:
            self.error(f"{path}.pain", "required")
        else:
            pain = self.whole(value["pain"], f"{path}.pain", 0, 10)
        symptoms = self.id_list(
            value.get("symptoms", []), f"{path}.symptoms", self.kb.symptoms, "a symptom id"
        )
        weeks = value.get("weeks")
        if "weeks" in value and not (_is_number(weeks) and weeks >= 0):
            self.error(f"{path}.weeks", "must be a number, 0 or more")
        onset = self.choice(value["onset"], f"{path}.onset", ONSETS) if "onset" in value else None
        if len(self.errors) > before:
            return None
        return Complaint(index, checked(region), side, checked(pain), symptoms, weeks, onset)

    def sites(self, data: dict, name: str, fields: tuple[str, ...], kinds) -> tuple[Site, ...]:
        """Surgeries, skin entries or implants: each an object with a region and a side."""
        found = []
        for index, value in enumerate(self.items(data, name)):
            path = f"{name}[{index}]"
            if self.obj(value, path) is None:
                continue
            before = len(self.errors)
            self.unknown_keys(value, fields, path)
            kind: str | None = "surgery"
            if kinds is not None:
                if "kind" not in value:
                    self.error(f"{path}.kind", "required")
                else:
                    kind = self.choice(value["kind"], f"{path}.kind", kinds)
            # An implant may leave out where it is; a surgery or a skin problem may not.
            region = self.region(value, path, required=name != "implants")
            side = self.side(value, path, region)
            weeks_ago = None
            if "weeks_ago" in fields:
                if "weeks_ago" not in value:
                    self.error(f"{path}.weeks_ago", "required")
                elif not (_is_number(value["weeks_ago"]) and value["weeks_ago"] >= 0):
                    self.error(f"{path}.weeks_ago", "must be a number, 0 or more")
                else:
                    weeks_ago = value["weeks_ago"]
            if len(self.errors) == before:
                found.append(Site(index, checked(kind), region, side, weeks_ago))
        return tuple(found)

    def pregnancy(self, value) -> Pregnancy | None:
        if self.obj(value, "pregnancy") is None:
            return None
        self.unknown_keys(value, ("weeks", "complications"), "pregnancy")
        weeks = complications = None
        if "weeks" not in value:
            self.error("pregnancy.weeks", "required")
        else:
            weeks = self.whole(value["weeks"], "pregnancy.weeks", 0, 42)
        if "complications" not in value:
            self.error("pregnancy.complications", "required")
        else:
            complications = self.boolean(value["complications"], "pregnancy.complications")
        if weeks is None or complications is None:
            return None
        return Pregnancy(weeks, complications)

    def guardian(self, value) -> Guardian | None:
        if self.obj(value, "guardian") is None:
            return None
        self.unknown_keys(value, ("name", "consents", "present"), "guardian")
        for part in ("name", "consents", "present"):
            if part not in value:
                self.error(f"guardian.{part}", "required")
        if any(part not in value for part in ("name", "consents", "present")):
            return None
        name: str | None = value["name"]
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            self.error("guardian.name", "must be text of 1 to 200 characters")
            name = None
        consents = self.boolean(value["consents"], "guardian.consents")
        present = self.boolean(value["present"], "guardian.present")
        if name is None or consents is None or present is None:
            return None
        return Guardian(name, consents, present)

    def check(self, data) -> Intake | None:
        if not isinstance(data, dict):
            self.error("$", "must be an object")
            return None
        self.unknown_keys(data, FIELDS, "")
        if "version" in data and not (_is_int(data["version"]) and data["version"] in (1, 2)):
            self.error("version", "must be 1 or 2")
        elif data.get("version") == 1:
            # A version 1 intake has none of version 2's fields: saying 1 and sending them is
            # a form with a bug, and its answers would be read by rules it did not ask for.
            for key in V2_FIELDS:
                if key in data:
                    self.error(key, 'needs "version": 2')
            for index, complaint in enumerate(data.get("complaints") or []):
                if isinstance(complaint, dict) and "onset" in complaint:
                    self.error(f"complaints[{index}].onset", 'needs "version": 2')
        minutes = None
        if "session_minutes" not in data:
            self.error("session_minutes", "required")
        else:
            minutes = self.whole(data["session_minutes"], "session_minutes", 15, 180)
        age = self.whole(data["age"], "age", 0, 120) if "age" in data else None
        pressure = data.get("pressure", "medium")
        if pressure not in PRESSURES:
            self.error("pressure", "must be one of light, medium, firm")

        complaints: list[Complaint] = []
        seen: dict[tuple[str, str], int] = {}
        for index, raw in enumerate(self.items(data, "complaints")):
            path = f"complaints[{index}]"
            complaint = self.complaint(raw, path, index)
            if complaint is None:
                continue
            where = (complaint.region, complaint.side)
            if where in seen:
                self.error(path, f"repeats complaints[{seen[where]}] (same region and side)")
                continue
            seen[where] = index
            complaints.append(complaint)

        stress = self.whole(data.get("stress", 0), "stress", 0, 10)

        flags = set()
        screening = data.get("screening", {})
        if not isinstance(screening, dict):
            self.error("screening", "must be an object")
            screening = {}
        for key in sorted(screening):
            path = key_path("screening", key)
            if key not in self.kb.flags:
                self.error(path, "unknown screening question")
            elif not isinstance(screening[key], bool):
                self.error(path, "must be true or false")
            elif screening[key]:
                flags.add(key)

        conditions = set(
            self.id_list(data.get("conditions", []), "conditions", self.kb.conditions, "a condition id")
        )

        consent = {}
        raw_consent = data.get("consent", {})
        if not isinstance(raw_consent, dict):
            self.error("consent", "must be an object")
            raw_consent = {}
        for key in sorted(raw_consent):
            path = key_path("consent", key)
            if key not in self.kb.regions:
                self.error(path, "unknown region")
            elif raw_consent[key] not in CONSENT_VALUES:
                self.error(path, "must be one of granted, over_drape, declined")
            else:
                consent[key] = raw_consent[key]

        avoid = self.id_list(data.get("avoid", []), "avoid", self.kb.regions, "a region id")

        medications = set(
            self.id_list(data.get("medications", []), "medications", self.kb.medications, "a medication id")
        )
        allergies = self.id_list(data.get("allergies", []), "allergies", self.kb.allergies, "an allergy id")
        medications_text = (
            self.text(data["medications_text"], "medications_text", MEDICATIONS_TEXT_LIMIT)
            if "medications_text" in data
            else ""
        )
        allergies_text = (
            self.text(data["allergies_text"], "allergies_text", ALLERGIES_TEXT_LIMIT)
            if "allergies_text" in data
            else ""
        )
        pregnancy = self.pregnancy(data["pregnancy"]) if "pregnancy" in data else None
        surgeries = self.sites(data, "surgeries", ("region", "side", "weeks_ago"), None)
        skin = self.sites(data, "skin", ("region", "side", "kind"), SKIN_KINDS)
        implants = self.sites(data, "implants", ("kind", "region", "side"), IMPLANT_KINDS)
        guardian = self.guardian(data["guardian"]) if "guardian" in data else None
        goals = self.choice(data["goals"], "goals", GOALS) if "goals" in data else "both"

        if self.errors:
            return None
        # The two spellings of a blood thinner mean the same; the pregnancy object implies the
        # condition.
        if ANTICOAGULANT_MEDICATION in medications:
            conditions.add(ANTICOAGULANT_CONDITION)
        if ANTICOAGULANT_CONDITION in conditions:
            medications.add(ANTICOAGULANT_MEDICATION)
        if pregnancy is not None:
            conditions.add("pregnancy")
        return Intake(
            session_minutes=checked(minutes),
            age=age,
            pressure=pressure,
            complaints=tuple(complaints),
            stress=checked(stress),
            flags=frozenset(flags),
            conditions=frozenset(conditions),
            consent=consent,
            avoid=frozenset(avoid),
            medications=frozenset(medications),
            medications_text=medications_text,
            allergies=allergies,
            allergies_text=allergies_text,
            pregnancy=pregnancy,
            surgeries=surgeries,
            skin=skin,
            implants=implants,
            guardian=guardian,
            goals=checked(goals),
        )


def check_intake(data, knowledge: Knowledge) -> tuple[Intake | None, list[str]]:
    """The normalised intake and no errors, or ``None`` and every problem found."""
    checker = _Checker(knowledge)
    intake = checker.check(data)
    return intake, checker.errors
