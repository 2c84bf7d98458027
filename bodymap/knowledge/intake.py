"""Validate an intake against the contract, collecting every problem as ``"path: rule"``.

Whole numbers must be JSON integers: ``6.0`` is refused for a pain or stress rating, because a
form that sends it has a bug, and a rating like ``6.5`` has no meaning on the 0 to 10 scale.
Booleans are never numbers. Lists may not repeat an id.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

from .loader import PRESSURES, Knowledge

SIDES = ("left", "right", "both")
CONSENT_VALUES = ("granted", "over_drape", "declined")
FIELDS = ("version", "session_minutes", "age", "pressure", "complaints", "stress", "screening",
          "conditions", "consent", "avoid")
COMPLAINT_FIELDS = ("region", "side", "pain", "symptoms", "weeks")
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class IntakeError(ValueError):
    """The intake breaks the contract; ``errors`` lists every problem as ``"path: rule"``."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Complaint:
    region: str
    side: str  # left, right or both; "both" for midline regions, where side is ignored
    pain: int
    symptoms: tuple[str, ...]
    weeks: float | None


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


def key_path(parent: str, key: str) -> str:
    """``parent.key``, quoting keys that are not plain names so every message stays one line."""
    if _PLAIN_KEY.match(key):
        return f"{parent}.{key}" if parent else key
    return f"{parent}[{json.dumps(key)}]"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


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

    def unknown_keys(self, data: dict, allowed, parent: str) -> None:
        for key in sorted(k for k in data if k not in allowed):
            self.error(key_path(parent, key), "unknown field")

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

    def complaint(self, value, path: str) -> Complaint | None:
        if not isinstance(value, dict):
            self.error(path, "must be an object")
            return None
        before = len(self.errors)
        self.unknown_keys(value, COMPLAINT_FIELDS, path)
        region = value.get("region")
        if "region" not in value:
            self.error(f"{path}.region", "required")
        elif not isinstance(region, str) or region not in self.kb.regions:
            self.error(f"{path}.region", "must be a region id")
            region = None
        side = value.get("side", "both")
        if side not in SIDES:
            self.error(f"{path}.side", "must be one of left, right, both")
        pain = None
        if "pain" not in value:
            self.error(f"{path}.pain", "required")
        else:
            pain = self.whole(value["pain"], f"{path}.pain", 0, 10)
        symptoms = self.id_list(value.get("symptoms", []), f"{path}.symptoms",
                                self.kb.symptoms, "a symptom id")
        weeks = value.get("weeks")
        if "weeks" in value and not (
                isinstance(weeks, int | float) and not isinstance(weeks, bool)
                and math.isfinite(weeks) and weeks >= 0):
            self.error(f"{path}.weeks", "must be a number, 0 or more")
        if len(self.errors) > before:
            return None
        if self.kb.regions[region].sides == "midline":
            side = "both"
        return Complaint(region, side, pain, symptoms, weeks)

    def check(self, data) -> Intake | None:
        if not isinstance(data, dict):
            self.error("$", "must be an object")
            return None
        self.unknown_keys(data, FIELDS, "")
        if "version" in data and not (_is_int(data["version"]) and data["version"] == 1):
            self.error("version", "must be 1")
        minutes = None
        if "session_minutes" not in data:
            self.error("session_minutes", "required")
        else:
            minutes = self.whole(data["session_minutes"], "session_minutes", 15, 180)
        age = self.whole(data["age"], "age", 0, 120) if "age" in data else None
        pressure = data.get("pressure", "medium")
        if pressure not in PRESSURES:
            self.error("pressure", "must be one of light, medium, firm")

        complaints = []
        raw_complaints = data.get("complaints", [])
        if not isinstance(raw_complaints, list):
            self.error("complaints", "must be a list")
            raw_complaints = []
        seen = {}
        for index, raw in enumerate(raw_complaints):
            path = f"complaints[{index}]"
            complaint = self.complaint(raw, path)
            if complaint is None:
                continue
            key = (complaint.region, complaint.side)
            if key in seen:
                self.error(path, f"repeats complaints[{seen[key]}] (same region and side)")
                continue
            seen[key] = index
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

        conditions = self.id_list(data.get("conditions", []), "conditions",
                                  self.kb.conditions, "a condition id")

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

        if self.errors:
            return None
        return Intake(
            session_minutes=minutes, age=age, pressure=pressure, complaints=tuple(complaints),
            stress=stress, flags=frozenset(flags), conditions=frozenset(conditions),
            consent=consent, avoid=frozenset(avoid))


def check_intake(data, knowledge: Knowledge) -> tuple[Intake | None, list[str]]:
    """The normalised intake and no errors, or ``None`` and every problem found."""
    checker = _Checker(knowledge)
    intake = checker.check(data)
    return intake, checker.errors
