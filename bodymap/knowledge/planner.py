"""Turn a validated intake into a session plan (docs/intake-plan-v2.md).

The plan advises a trained therapist; it does not diagnose. Steps: red flags (answered and
derived from the whole intake), cautions and the pressure cap, what each fact about the client
changes, the client's complaints first and then inferred work, minutes within the caps, then
checks, positioning, product warnings, self-care and education for this client.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from math import floor

from .intake import Complaint, Intake, IntakeError, check_intake, checked
from .loader import PRESSURES, Knowledge, Region, SelfCare, load
from .triggers import screen

MIN_MINUTES = 5
CONTACT = {"granted": "skin", "over_drape": "over_drape"}
PIRIFORMIS_NERVE_RELATION = "piriformis_and_sciatic_nerve"


def plan(intake: object, knowledge: Knowledge | None = None) -> dict:
    """The session plan for ``intake``; raises IntakeError listing every problem with it."""
    kb = knowledge or load()
    checked, errors = check_intake(intake, kb)
    if checked is None:  # never without errors
        raise IntakeError(errors)
    return _plan(checked, kb)


def _lowest(*pressures: str | None) -> str:
    return min((p for p in pressures if p), key=PRESSURES.index)


def _plan(intake: Intake, kb: Knowledge) -> dict:
    referrals, flag_cautions = screen(intake, kb)
    urgencies = {r["urgency"] for r in referrals}
    decision = (
        "refer_emergency"
        if "emergency" in urgencies
        else "medical_clearance"
        if "clearance" in urgencies
        else "proceed"
    )
    conditions = [c for c in kb.conditions.values() if c.id in intake.conditions]
    medications = [m for m in kb.medications.values() if m.id in intake.medications]
    bands = [b for b in kb.rules.age_bands if b.applies(intake.age)]
    implants = [(site, kb.implants[site.kind]) for site in intake.implants]
    cautions = [{"condition": c.id, "advice": c.advice} for c in conditions]
    # The blood thinner is listed once, under conditions, whichever way the client gave it.
    cautions += [{"condition": m.id, "advice": m.advice} for m in medications if m.id != "anticoagulant"]
    cautions += [{"condition": f"age_{b.id}", "advice": b.advice} for b in bands]
    seen_implants = set()
    for _site, implant in implants:
        if implant.id not in seen_implants:
            seen_implants.add(implant.id)
            cautions.append({"condition": f"implant_{implant.id}", "advice": implant.advice})
    cautions += flag_cautions
    pressure = _lowest(
        intake.pressure,
        *(c.pressure_cap for c in conditions),
        *(m.pressure_cap for m in medications),
        *(b.pressure_cap for b in bands),
    )

    result = {
        "version": 2,
        "decision": decision,
        "referrals": referrals,
        "cautions": cautions,
        "pressure": pressure,
        "plan": [],
        "not_reached": [],
        "unallocated_minutes": 0,
        "unallocated_note": "",
        "excluded": [],
        "checks": [],
        "positioning": _positioning(intake, kb, bands, implants),
        "product_warnings": _product_warnings(intake, kb),
        "self_care": [],
        "education": [],
    }
    if decision != "proceed":
        return result
    session = _Session(intake, kb, conditions, bands, implants, pressure)
    session.build()
    result.update(
        decision="proceed" if session.items else "nothing_to_plan",
        plan=session.items,
        not_reached=session.not_reached,
        unallocated_minutes=session.unallocated,
        unallocated_note=kb.rules.unallocated_note if session.unallocated else "",
        excluded=session.excluded,
        checks=_checks(intake, kb, session, implants),
        self_care=_self_care(session, intake, kb, implants),
        education=_education(intake, kb, session),
    )
    return result


@dataclass
class _Candidate:
    region: Region
    kind: str  # complaint, inferred or fill
    complaints: list[Complaint] = field(default_factory=list)
    base: Fraction = Fraction(0)  # the worst complaint's score here
    # Each muscle keeps its strongest relation only: several weak relations never add up.
    muscles: dict[str, tuple[Fraction, str]] = field(default_factory=dict)
    sides: set[str] = field(default_factory=set)
    reasons: list[tuple[Fraction, str]] = field(default_factory=list)
    relations: set[str] = field(default_factory=set)

    @property
    def pain(self) -> int:
        return max((c.pain for c in self.complaints), default=-1)

    @property
    def score(self) -> Fraction:
        return self.base + sum((s for s, _ in self.muscles.values()), Fraction(0))

    def add(
        self, score: Fraction, muscles: tuple[str, ...], reason: str, side: str, relation: str | None = None
    ) -> None:
        self.sides.add(side)
        if relation:
            self.relations.add(relation)
        if muscles:
            share = score / len(muscles)
            for muscle in muscles:
                if muscle not in self.muscles or self.muscles[muscle][0] < share:
                    self.muscles[muscle] = (share, reason)
        self.reasons.append((score, reason))


class _Session:
    """The work part of one plan: which regions, in what order, for how long, how firmly."""

    def __init__(self, intake: Intake, kb: Knowledge, conditions, bands, implants, pressure: str):
        self.intake, self.kb, self.rules = intake, kb, kb.rules
        self.conditions, self.bands, self.implants = conditions, bands, implants
        self.pressure = pressure
        self.items: list[dict] = []
        self.not_reached: list[dict] = []
        self.excluded: list[dict] = []
        self.unallocated = 0
        self.planned: list[_Candidate] = []
        self.left_out_muscles: dict[str, Fraction] = {}
        self.relations_used: set[str] = set()
        self.pregnancy_late = "pregnancy" in intake.conditions and (
            intake.pregnancy is None or intake.pregnancy.weeks >= self.rules.pregnancy_from_weeks
        )

    # -- what may be worked ------------------------------------------------------------------

    def consent(self, region: Region) -> str:
        return self.intake.consent.get(region.id, "declined" if region.sensitive else "granted")

    def blocked(self, region: Region, side: str = "both") -> tuple[str, str | None] | None:
        """Why ``region`` (on ``side``) may not be planned, with a note, or None if it may."""
        intake = self.intake
        if region.id in intake.avoid:
            return "client_avoid", None
        if self.consent(region) == "declined":
            return "consent_declined", None
        if (
            region.sensitive
            and any(b.guardian_for_sensitive for b in self.bands)
            and not (intake.guardian and intake.guardian.consents and intake.guardian.present)
        ):
            return "minor", None
        for condition in self.conditions:
            if region.id in condition.exclude_regions:
                return "caution", condition.excluded_note
        for surgery in intake.surgeries:
            if (
                surgery.region == region.id
                and surgery.weeks < self.rules.surgery_exclude_weeks
                and _covers(surgery.side, side)
            ):
                return "caution", self.rules.surgery_excluded_note
        for skin in intake.skin:
            if (
                skin.region == region.id
                and skin.kind not in self.rules.skin_worked_around
                and _covers(skin.side, side)
            ):
                return "caution", self.rules.skin_excluded_note
        return None

    def open_side(self, region: Region, side: str) -> str | None:
        """The side that may be worked: ``side``, or one side of both if the other is closed."""
        if self.blocked(region, side) is None:
            return side
        if side == "both" and region.sides == "left_right":
            for one in ("left", "right"):
                if (
                    self.blocked(region, one) is None
                    and self.blocked(region, "right" if one == "left" else "left") is not None
                ):
                    return one
        return None

    # -- candidates --------------------------------------------------------------------------

    def candidates(self) -> tuple[dict[str, _Candidate], dict[str, _Candidate]]:
        kb, intake, settings = self.kb, self.intake, self.kb.settings
        complaints: dict[str, _Candidate] = {}
        inferred: dict[str, _Candidate] = {}

        def target(region_id: str) -> _Candidate:
            if region_id in complaints:
                return complaints[region_id]
            if region_id not in inferred:
                inferred[region_id] = _Candidate(kb.regions[region_id], "inferred")
            return inferred[region_id]

        for complaint in intake.complaints:
            region = kb.regions[complaint.region]
            candidate = complaints.setdefault(region.id, _Candidate(region, "complaint"))
            score = Fraction(settings.complaint_base + complaint.pain)
            candidate.complaints.append(complaint)
            candidate.base = max(candidate.base, score)
            candidate.sides.add(complaint.side)
            details = [f"pain {complaint.pain}/10"] + [kb.symptoms[s].name for s in complaint.symptoms]
            candidate.reasons.append((score, f"The client's complaint: {region.name}, {', '.join(details)}."))
        for complaint in intake.complaints:
            region = kb.regions[complaint.region]
            score = Fraction(settings.complaint_base + complaint.pain)
            symptoms = set(complaint.symptoms)
            for relation in kb.relations_by_region.get(complaint.region, ()):
                if relation.symptoms_any and not symptoms & set(relation.symptoms_any):
                    continue
                # A side carries over between paired regions; from a midline complaint, both.
                side = complaint.side if region.sides == "left_right" else "both"
                for region_id in relation.regions:
                    target(region_id).add(
                        score * relation.weight, relation.muscles, relation.reason, side, relation.id
                    )
        if intake.stress >= settings.stress_threshold:
            for relation in kb.stress_relations:
                for region_id in relation.regions:
                    target(region_id).add(
                        intake.stress * relation.weight,
                        relation.muscles,
                        relation.reason,
                        "both",
                        relation.id,
                    )
        if not intake.complaints:
            for region_id in settings.relaxation_regions:
                region = kb.regions[region_id]
                target(region_id).add(
                    Fraction(settings.relaxation_score), region.muscles, settings.relaxation_reason, "both"
                )
        return complaints, inferred

    # -- building the plan -------------------------------------------------------------------

    def build(self) -> None:
        kb = self.kb
        complaints, inferred = self.candidates()
        allowed_complaints: list[_Candidate] = []
        allowed_inferred: dict[str, _Candidate] = {}
        for region_id in sorted(complaints, key=kb.region_order.__getitem__):
            candidate = complaints[region_id]
            if self.admit(candidate, allowed_inferred):
                allowed_complaints.append(candidate)
        for region_id in sorted(inferred, key=kb.region_order.__getitem__):
            candidate = inferred[region_id]
            if self.admit(candidate, allowed_inferred):
                existing = allowed_inferred.get(region_id)
                if existing is None:
                    allowed_inferred[region_id] = candidate
                else:
                    _merge(existing, candidate)
        # Work moved to a fallback region the client also complained of joins that complaint:
        # one item per region.
        by_region = {c.region.id: c for c in allowed_complaints}
        for region_id in [r for r in allowed_inferred if r in by_region]:
            _merge(by_region[region_id], allowed_inferred.pop(region_id))
        if not allowed_complaints and not allowed_inferred:
            allowed_inferred = self.anything_workable()

        preference = {r: i for i, r in enumerate(kb.settings.relaxation_regions)}
        ordered = sorted(allowed_complaints, key=lambda c: (-c.pain, -c.score, kb.region_order[c.region.id]))
        ordered += sorted(
            allowed_inferred.values(),
            key=lambda c: (
                -c.score,
                preference.get(c.region.id, len(preference)),
                kb.region_order[c.region.id],
            ),
        )
        self.allocate(ordered)

    def admit(self, candidate: _Candidate, allowed_inferred: dict[str, _Candidate]) -> bool:
        """True if the candidate may be planned (perhaps on one side only); otherwise it goes to
        `excluded`, and what its fallback region can reach moves there."""
        region = candidate.region
        side = _side_of(candidate)
        open_side = self.open_side(region, side)
        if open_side is not None:
            if open_side != side:
                candidate.sides = {open_side}
                closed = "right" if open_side == "left" else "left"
                _reason, note = checked(self.blocked(region, closed))
                candidate.reasons.append((Fraction(0), f"Only the {open_side} side: {note}"))
            return True
        reason, note = checked(self.blocked(region, side))
        moved = self.move_to_fallback(candidate, allowed_inferred)
        for muscle, (score, _) in candidate.muscles.items():
            if muscle not in moved:
                self.left_out_muscles[muscle] = max(score, self.left_out_muscles.get(muscle, Fraction(0)))
        if candidate.kind == "complaint":
            for muscle in region.muscles:
                if muscle not in moved:
                    self.left_out_muscles.setdefault(muscle, candidate.base)
        self.relations_used |= candidate.relations
        self.excluded.append(
            {
                "region": region.id,
                "reason": reason,
                "note": self.exclusion_note(candidate, reason, note, moved),
            }
        )
        return False

    def move_to_fallback(self, candidate: _Candidate, allowed_inferred: dict[str, _Candidate]) -> set[str]:
        """Reach what can be reached from the fallback region (the hip from the side for the
        buttock)."""
        region = candidate.region
        if region.fallback is None:
            return set()
        fallback = self.kb.regions[region.fallback]
        if self.blocked(fallback) is not None:
            return set()
        muscles = dict(candidate.muscles)
        if candidate.kind == "complaint":
            for muscle in region.muscles:
                share = candidate.base / len(region.muscles)
                if muscle not in muscles or muscles[muscle][0] < share:
                    muscles[muscle] = (share, "")
        reachable = [m for m in muscles if m in fallback.muscles]
        if not reachable:
            return set()
        target = allowed_inferred.setdefault(fallback.id, _Candidate(fallback, "inferred"))
        names = _and(self.kb.muscles[m].plain for m in reachable)
        verb = "is" if len(reachable) == 1 else "are"
        reason = (
            f"The {region.name} may not be worked, so {names} {verb} reached from the "
            f"{fallback.name} instead."
        )
        for muscle in reachable:
            target.add(muscles[muscle][0], (muscle,), reason, _side_of(candidate))
        target.relations |= candidate.relations
        return set(reachable)

    def anything_workable(self) -> dict[str, _Candidate]:
        """When nothing relevant may be worked: relaxation regions, else the first region
        allowed. Nothing at all only if no region may be worked."""
        kb, settings = self.kb, self.kb.settings
        reason = (
            "Nothing relevant to this client may be worked today, so this is general "
            "relaxation work on a region the client allows."
        )
        order = list(settings.relaxation_regions) + [
            r for r in kb.regions if r not in settings.relaxation_regions
        ]
        workable = {}
        for region_id in order:
            region = kb.regions[region_id]
            if self.blocked(region) is None:
                candidate = _Candidate(region, "inferred")
                candidate.add(Fraction(settings.relaxation_score), region.muscles, reason, "both")
                workable[region_id] = candidate
                if region_id not in settings.relaxation_regions:
                    break
        return workable

    def fill_regions(self, taken: set[str]) -> list[_Candidate]:
        """Neighbours of the complaints, then general work, for time the caps leave over."""
        kb, settings = self.kb, self.kb.settings
        order: list[tuple[str, str]] = []
        for complaint in sorted(self.intake.complaints, key=lambda c: -c.pain):
            order += [(r, "adjacent") for r in kb.regions[complaint.region].adjacent]
        order += [(r, "general") for r in settings.relaxation_regions]
        order += [(r, "general") for r in kb.regions]
        found, seen = [], set(taken)
        for region_id, why in order:
            region = kb.regions[region_id]
            if region_id in seen or region.sensitive or self.blocked(region) is not None:
                continue
            seen.add(region_id)
            candidate = _Candidate(region, "fill")
            reason = self.rules.adjacent_reason if why == "adjacent" else settings.fill_reason
            candidate.add(Fraction(settings.relaxation_score), region.muscles, reason, "both")
            found.append(candidate)
        return found

    # -- minutes -----------------------------------------------------------------------------

    def cap(self, candidate: _Candidate, several: bool) -> int:
        total = self.intake.session_minutes
        share = self.rules.region_share if several else Fraction(1)
        if candidate.region.sensitive:
            share = min(share, self.rules.sensitive_share)
        return floor(total * share)

    def allocate(self, ordered: list[_Candidate]) -> None:
        total = self.intake.session_minutes
        # The 40% cap holds whenever two or more regions may be worked at all.
        several = sum(1 for r in self.kb.regions.values() if self.blocked(r) is None) >= 2
        room = total // MIN_MINUTES
        chosen: list[_Candidate] = []
        for candidate in ordered:
            fits = len(chosen) < room and self.cap(candidate, several) >= MIN_MINUTES
            if fits:
                chosen.append(candidate)
            elif candidate.kind == "complaint":
                for complaint in candidate.complaints:
                    self.not_reached.append(self.not_reached_entry(complaint))
            # An inferred region that does not fit is simply not suggested.
        self.not_reached.sort(key=lambda e: (-e["pain"], self.kb.region_order[e["region"]]))

        minutes, leftover = self.minutes(chosen, several)
        fills = self.fill_regions({c.region.id for c in chosen}) if leftover else []
        while leftover and fills and len(chosen) < room:
            chosen.append(fills.pop(0))
            minutes, leftover = self.minutes(chosen, several)
        self.unallocated = leftover
        self.planned = chosen
        self.items = [self.item(c, m) for c, m in zip(chosen, minutes, strict=True)]

    def minutes(self, chosen: list[_Candidate], several: bool) -> tuple[list[int], int]:
        """Whole minutes per region within the caps, and the minutes no region may take.
        An inferred region never gets more than the worst complaint's region."""
        caps = [self.cap(c, several) for c in chosen]
        scores = [c.score or Fraction(1) for c in chosen]
        complaint_at = [i for i, c in enumerate(chosen) if c.kind == "complaint"]
        for _ in range(len(chosen) + 1):
            minutes, leftover = _fill(scores, caps, self.intake.session_minutes)
            if not complaint_at:
                return minutes, leftover
            worst = max(complaint_at, key=lambda i: (chosen[i].pain, -i))
            ceiling = minutes[worst]
            over = [i for i, c in enumerate(chosen) if c.kind != "complaint" and minutes[i] > ceiling]
            if not over:
                return minutes, leftover
            for i in over:
                caps[i] = max(MIN_MINUTES, min(caps[i], ceiling))
        return minutes, leftover

    # -- items -------------------------------------------------------------------------------

    def item(self, candidate: _Candidate, minutes: int) -> dict:
        kb, region = self.kb, candidate.region
        side = "midline" if region.sides == "midline" else _side_of(candidate)
        self.relations_used |= candidate.relations
        if candidate.kind == "complaint":
            structures = list(region.muscles)
            order = {
                m: (-candidate.muscles.get(m, (Fraction(0), ""))[0], _muscle_rank(region, m))
                for m in structures
            }
            structures.sort(key=order.__getitem__)
        else:
            structures = sorted(
                candidate.muscles, key=lambda m: (-candidate.muscles[m][0], _muscle_rank(region, m))
            )
        reasons = []
        for _score, reason in sorted(candidate.reasons, key=lambda r: -r[0]):
            if reason not in reasons:
                reasons.append(reason)
        pressure, pressure_reasons = self.item_pressure(candidate, side)
        reasons += [r for r in pressure_reasons if r not in reasons]
        if pressure == "light":
            deep = [m for m in structures if kb.muscles[m].deep]
            if deep:
                structures = [m for m in structures if m not in deep]
                reasons.append(self.rules.deep_reason.format(muscles=_and(kb.muscles[m].plain for m in deep)))
        consent = self.consent(region)
        if consent == "over_drape":
            reasons.append("Work over the sheet: that is the consent the client gave.")
        if region.sensitive:
            reasons.append(
                "Sensitive region: confirm consent before you start. The client can stop at any moment."
            )
        return {
            "region": region.id,
            "side": side,
            "minutes": minutes,
            "contact": CONTACT[consent],
            "pressure": pressure,
            "structures": structures,
            "reasons": reasons,
        }

    def item_pressure(self, candidate: _Candidate, side: str) -> tuple[str, list[str]]:
        """This item's pressure (never above the plan's) and the reasons for any lower cap."""
        rules, intake, region = self.rules, self.intake, candidate.region
        caps: list[tuple[str, str]] = []
        for condition in self.conditions:
            if region.id in condition.leg_regions:
                caps.append((condition.region_pressure, condition.region_pressure_reason))
        for complaint in candidate.complaints:
            weeks = complaint.weeks if complaint.weeks is not None else 0
            if set(complaint.symptoms) & set(rules.acute_symptoms) or (
                "sharp" in complaint.symptoms and weeks < rules.acute_sharp_under_weeks
            ):
                caps.append((rules.acute_pressure, rules.acute_reason))
            if "numbness" in complaint.symptoms:
                caps.append((rules.numbness_pressure, rules.numbness_reason))
        for surgery in intake.surgeries:
            if surgery.weeks < rules.surgery_exclude_weeks and region.id in rules.legs:
                caps.append((rules.surgery_legs_pressure, rules.surgery_legs_reason))
            if (
                surgery.region == region.id
                and surgery.weeks < rules.surgery_light_weeks
                and _overlaps(surgery.side, side)
            ):
                caps.append(("light", rules.surgery_light_reason))
        for skin in intake.skin:
            if skin.region == region.id and _overlaps(skin.side, side):
                caps.append((rules.skin_pressure, rules.skin_around_reason))
        for site, implant in self.implants:
            if implant.pressure is None:
                continue
            regions = [site.region if r == "at_implant" else r for r in implant.pressure_regions]
            if region.id in regions and _overlaps(site.side, side):
                caps.append((implant.pressure, implant.pressure_reason))
        if self.pregnancy_late:
            if region.id in rules.legs:
                caps.append((rules.pregnancy_legs_pressure, rules.pregnancy_legs_reason))
            if region.id in rules.pregnancy_light_regions:
                caps.append(("light", rules.pregnancy_light_reason))
        reasons = [reason for _, reason in caps]
        if region.id == "neck" and rules.neck_dizziness_condition in intake.conditions:
            reasons.append(rules.neck_dizziness_reason)
        return _lowest(self.pressure, *(p for p, _ in caps)), list(dict.fromkeys(reasons))

    def not_reached_entry(self, complaint: Complaint) -> dict:
        return {
            "region": complaint.region,
            "side": complaint.side if self.kb.regions[complaint.region].sides == "left_right" else "midline",
            "pain": complaint.pain,
            "note": self.rules.not_reached_note,
        }

    def exclusion_note(self, candidate: _Candidate, reason: str, note: str | None, moved: set[str]) -> str:
        kb, region, intake = self.kb, candidate.region, self.intake
        if reason == "client_avoid":
            lead = f"The client asked that the {region.name} not be touched."
        elif reason == "consent_declined":
            lead = (
                f"The client has not consented to work on the {region.name}."
                if intake.consent.get(region.id) == "declined"
                else f"No consent was given for the {region.name}; sensitive regions are "
                "worked only with consent."
            )
        elif reason == "minor":
            lead = (
                f"The client is under 16: the {region.name} is worked only if a parent or "
                "guardian agrees and is in the room."
            )
        else:
            lead = checked(note)  # every other reason comes with its note
        scores = dict(candidate.muscles)
        if candidate.kind == "complaint":
            for muscle in region.muscles:
                scores.setdefault(muscle, (candidate.base, ""))
        lost = [
            m
            for m in sorted(scores, key=lambda m: (-scores[m][0], _muscle_rank(region, m)))
            if m not in moved
        ]
        parts = [lead]
        if lost:
            parts.append("This leaves out " + _and(kb.muscles[m].plain for m in lost) + ".")
        if moved and region.fallback:
            parts.append(f"Some of this work is moved to the {kb.regions[region.fallback].name}.")
        if reason == "caution":
            return " ".join(parts)
        fallback_open = region.fallback is None or self.blocked(kb.regions[region.fallback]) is None
        if region.instead and reason in ("consent_declined", "minor") and fallback_open:
            parts.append(region.instead)
            return " ".join(parts)
        care = [
            s.name
            for s in kb.self_care
            if set(s.targets) & set(lost) and self_care_allowed(s, intake, kb, self.implants)
        ][:2]
        instead = "Work the regions around it instead"
        instead += f", and suggest at home: {'; '.join(care)}." if care else "."
        parts.append(instead)
        if reason == "consent_declined":
            parts.append("Consent can be given later, at any visit.")
        return " ".join(parts)


def _fill(scores: list[Fraction], caps: list[int], total: int) -> tuple[list[int], int]:
    """Whole minutes, each at least MIN_MINUTES and at most its cap, shared in proportion to
    score; returns them and the minutes left because every region reached its cap.

    Leftover minutes after rounding go by the largest remainder, ties to the higher-ranked item.
    """
    count = len(scores)
    if not count:
        return [], total
    alloc = [Fraction(MIN_MINUTES)] * count
    spare = Fraction(total - MIN_MINUTES * count)
    active = set(range(count))
    while spare > 0 and active:
        weight = sum(scores[i] for i in active)
        shares = {i: spare * scores[i] / weight for i in active}
        over = [i for i in sorted(active) if alloc[i] + shares[i] > caps[i]]
        if not over:
            for i in active:
                alloc[i] += shares[i]
            spare = Fraction(0)
            break
        for i in over:
            spare -= caps[i] - alloc[i]
            alloc[i] = Fraction(caps[i])
            active.discard(i)
    minutes = [floor(a) for a in alloc]
    leftover_minutes = floor(spare)
    rounding = total - leftover_minutes - sum(minutes)
    by_remainder = sorted(
        (i for i in range(count) if minutes[i] < caps[i]), key=lambda i: (-(alloc[i] - minutes[i]), i)
    )
    for i in by_remainder[:rounding]:
        minutes[i] += 1
    return minutes, total - sum(minutes)


def _merge(into: _Candidate, other: _Candidate) -> None:
    for muscle, (score, reason) in other.muscles.items():
        if muscle not in into.muscles or into.muscles[muscle][0] < score:
            into.muscles[muscle] = (score, reason)
    into.sides |= other.sides
    into.reasons += other.reasons
    into.relations |= other.relations


def _side_of(candidate: _Candidate) -> str:
    if candidate.region.sides == "midline":
        return "both"
    sides = candidate.sides or {"both"}
    if "both" in sides or sides >= {"left", "right"}:
        return "both"
    return next(iter(sides))


def _covers(site_side: str, side: str) -> bool:
    """A problem on ``site_side`` closes ``side`` of the region."""
    return "both" in (site_side, side) or site_side == side


def _overlaps(a: str, b: str) -> bool:
    return "both" in (a, b) or "midline" in (a, b) or a == b


def _and(words) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _muscle_rank(region: Region, muscle: str) -> tuple[int, str]:
    if muscle in region.muscles:
        return (region.muscles.index(muscle), muscle)
    return (len(region.muscles), muscle)


def self_care_allowed(care, intake: Intake, kb: Knowledge, implants) -> bool:
    """False when a condition, medicine, implant, surgery or pregnancy rules the stretch out."""
    if set(care.not_with) & intake.conditions:
        return False
    if set(care.not_with_medications) & intake.medications:
        return False
    if (
        care.lying_on_back
        and "pregnancy" in intake.conditions
        and (intake.pregnancy is None or intake.pregnancy.weeks >= kb.rules.pregnancy_from_weeks)
    ):
        return False
    if care.end_range_of:
        for site, implant in implants:
            if implant.end_range and (site.region is None or site.region in care.end_range_of):
                return False
        for surgery in intake.surgeries:
            if surgery.weeks < kb.rules.surgery_light_weeks and surgery.region in care.end_range_of:
                return False
    return True


def _self_care(session: _Session, intake: Intake, kb: Knowledge, implants) -> list[dict]:
    """Stretches for the muscles worked (or left out), most important muscle first; one per
    muscle not yet covered, so the few suggestions reach different areas."""
    scores: dict[str, Fraction] = dict(session.left_out_muscles)
    for candidate in session.planned:
        for muscle, (score, _) in candidate.muscles.items():
            scores[muscle] = max(score, scores.get(muscle, Fraction(0)))
        if candidate.kind == "complaint":
            for muscle in candidate.region.muscles:
                scores[muscle] = max(candidate.base, scores.get(muscle, Fraction(0)))
    allowed = [care for care in kb.self_care if self_care_allowed(care, intake, kb, implants)]
    chosen: list[SelfCare] = []
    covered: set[str] = set()
    for muscle in sorted(scores, key=lambda m: (-scores[m], m)):
        if len(chosen) == kb.settings.max_self_care:
            break
        if muscle in covered:
            continue
        care = next((c for c in allowed if muscle in c.targets and c not in chosen), None)
        if care is not None:
            chosen.append(care)
            covered.update(care.targets)
    return [
        {
            "id": care.id,
            "name": care.name,
            "targets": list(care.targets),
            "instructions": care.instructions,
            "sources": list(care.sources),
        }
        for care in chosen
    ]


def _checks(intake: Intake, kb: Knowledge, session: _Session, implants) -> list[dict]:
    planned = {c.region.id for c in session.planned}
    legs = set(kb.rules.legs)
    wanted = set()
    if any(
        c.region in legs and {"numbness", "weakness", "tingling"} & set(c.symptoms) for c in intake.complaints
    ):
        wanted.add("neuro_screen")
    if PIRIFORMIS_NERVE_RELATION in session.relations_used:
        wanted.add("low_back_source")
    if any(s.weeks < kb.rules.surgery_light_weeks for s in intake.surgeries) or (
        "recent_surgery" in intake.conditions
    ):
        wanted.add("surgical_site")
    if "abdomen" in planned:
        wanted |= {"last_meal", "pulsating_mass"}
    if session.pregnancy_late:
        wanted.add("pregnancy_positioning")
    if any(c.kind == "complaint" for c in session.planned):
        wanted.add("pain_score_after")
    if kb.rules.neck_dizziness_condition in intake.conditions:
        wanted.add("neck_dizziness")
    if any(b.guardian_for_sensitive for b in session.bands):
        wanted.add("guardian")
    if intake.medications_text.strip():
        wanted.add("medication_notes")
    checks = [{"id": c.id, "text": c.text, "reason": c.reason} for c in kb.checks.values() if c.id in wanted]
    seen = set()
    for site, implant in implants:
        if implant.check and implant.id not in seen:
            seen.add(implant.id)
            where = f" ({kb.regions[site.region].name})" if site.region else ""
            checks.append(
                {
                    "id": f"implant_{implant.id}",
                    "text": implant.check,
                    "reason": f"The client has a {implant.name}{where}.",
                }
            )
    return checks


def _positioning(intake: Intake, kb: Knowledge, bands, implants) -> list[dict]:
    advice = []
    if "pregnancy" in intake.conditions and (
        intake.pregnancy is None or intake.pregnancy.weeks >= kb.rules.pregnancy_from_weeks
    ):
        advice.append({"for": "pregnancy", "advice": kb.rules.pregnancy_positioning})
    seen = set()
    for _site, implant in implants:
        if implant.positioning and implant.id not in seen:
            seen.add(implant.id)
            advice.append({"for": f"implant_{implant.id}", "advice": implant.positioning})
    advice += [{"for": f"age_{b.id}", "advice": b.positioning} for b in bands if b.positioning]
    return advice


def _product_warnings(intake: Intake, kb: Knowledge) -> list[dict]:
    allergies = list(intake.allergies)
    if intake.allergies_text.strip() and "other" not in allergies:
        allergies.append("other")
    return [{"allergy": a, "warning": kb.allergies[a].warning} for a in allergies]


def _education(intake: Intake, kb: Knowledge, session: _Session) -> list[dict]:
    tags = {"always"}
    if intake.complaints:
        tags.add("complaints")
    if intake.stress >= kb.settings.stress_threshold:
        tags.add("stress")
    regions = {c.region.id for c in session.planned} | {e["region"] for e in session.excluded}
    muscles = set(session.left_out_muscles)
    for candidate in session.planned:
        muscles |= set(candidate.muscles)
        if candidate.kind == "complaint":
            muscles |= set(candidate.region.muscles)
    tags.update(f"region:{r}" for r in regions)
    tags.update(f"complaint:{c.region}" for c in intake.complaints)
    tags.update(f"structure:{m}" for m in muscles)
    return [
        {"topic": topic.id, "title": topic.title, "text": topic.text, "sources": list(topic.sources)}
        for topic in kb.topics
        if tags & set(topic.relevant_when)
    ]


__all__ = ["IntakeError", "plan"]
