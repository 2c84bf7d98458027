"""Turn a validated intake into a session plan (spec/intake-plan-v1.md).

The plan advises a trained therapist; it does not diagnose. Steps: red flags, cautions and the
pressure cap, candidate regions scored from complaints, stress and relations, consent and
avoidance, minutes, then self-care and education for this client.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from .intake import Intake, IntakeError, check_intake
from .loader import PRESSURES, Knowledge, Region, load

MIN_MINUTES = 5
CONTACT = {"granted": "skin", "over_drape": "over_drape"}


@dataclass
class _Contribution:
    score: Fraction
    side: str  # left, right or both
    muscles: tuple[str, ...]
    reason: str


@dataclass
class _Candidate:
    region: Region
    contributions: list[_Contribution] = field(default_factory=list)

    @property
    def score(self) -> Fraction:
        return sum((c.score for c in self.contributions), Fraction(0))

    def muscle_scores(self) -> dict[str, Fraction]:
        """Each contribution's score shared evenly among the muscles it names."""
        scores: dict[str, Fraction] = {}
        for contribution in self.contributions:
            for muscle in contribution.muscles:
                share = contribution.score / len(contribution.muscles)
                scores[muscle] = scores.get(muscle, Fraction(0)) + share
        return scores


def plan(intake: dict, knowledge: Knowledge | None = None) -> dict:
    """The session plan for ``intake``; raises IntakeError listing every problem with it."""
    kb = knowledge or load()
    checked, errors = check_intake(intake, kb)
    if errors:
        raise IntakeError(errors)
    return _plan(checked, kb)


def _plan(intake: Intake, kb: Knowledge) -> dict:
    referrals, flag_cautions = _screen(intake, kb)
    urgencies = {r["urgency"] for r in referrals}
    decision = ("refer_emergency" if "emergency" in urgencies
                else "medical_clearance" if "clearance" in urgencies else "proceed")
    conditions = [c for c in kb.conditions.values() if c.id in intake.conditions]
    cautions = [{"condition": c.id, "advice": c.advice} for c in conditions] + flag_cautions
    pressure = min([intake.pressure] + [c.pressure_cap for c in conditions if c.pressure_cap],
                   key=PRESSURES.index)

    items, excluded, self_care, education = [], [], [], []
    if decision == "proceed":
        items, excluded, worked = _work(intake, kb, conditions, pressure)
        self_care = _self_care(worked, intake, kb)
        education = _education(intake, kb, worked)
    return {
        "version": 1,
        "decision": decision,
        "referrals": referrals,
        "cautions": cautions,
        "pressure": pressure,
        "plan": items,
        "excluded": excluded,
        "self_care": self_care,
        "education": education,
    }


def _screen(intake: Intake, kb: Knowledge) -> tuple[list[dict], list[dict]]:
    """One referral per triggered flag; a conditional flag that stays a caution goes to cautions."""
    referrals, cautions = [], []
    complaint_regions = {c.region for c in intake.complaints}
    symptoms = {s for c in intake.complaints for s in c.symptoms}
    for flag in kb.flags.values():
        if flag.id not in intake.flags:
            continue
        urgency = flag.outcome
        if urgency == "conditional":
            clearance = (complaint_regions & set(flag.clearance_when_regions)
                         or symptoms & set(flag.clearance_when_symptoms))
            if not clearance:
                cautions.append({"condition": flag.id, "advice": flag.caution_advice})
                continue
            urgency = "clearance"
        referrals.append({"flag": flag.id, "urgency": urgency, "message": flag.message})
    return referrals, cautions


def _candidates(intake: Intake, kb: Knowledge) -> dict[str, _Candidate]:
    """Regions worth working, each with the scored contributions that put it there."""
    candidates: dict[str, _Candidate] = {}
    settings = kb.settings

    def add(region_id: str, contribution: _Contribution) -> None:
        candidate = candidates.get(region_id)
        if candidate is None:
            candidate = candidates[region_id] = _Candidate(kb.regions[region_id])
        candidate.contributions.append(contribution)

    for complaint in intake.complaints:
        score = Fraction(settings.complaint_base + complaint.pain)
        region = kb.regions[complaint.region]
        details = [f"pain {complaint.pain}/10"] + [kb.symptoms[s].name for s in complaint.symptoms]
        add(region.id, _Contribution(
            score, complaint.side, region.muscles,
            f"The client's complaint: {region.name}, {', '.join(details)}."))
        symptoms = set(complaint.symptoms)
        for relation in kb.relations_by_region.get(complaint.region, ()):
            if relation.symptoms_any and not symptoms & set(relation.symptoms_any):
                continue
            for target in relation.regions:
                # A side carries over between paired regions; from a midline complaint, work both.
                side = complaint.side if region.sides == "left_right" else "both"
                add(target, _Contribution(score * relation.weight, side, relation.muscles,
                                          relation.reason))

    if intake.stress >= settings.stress_threshold:
        for relation in kb.stress_relations:
            for target in relation.regions:
                add(target, _Contribution(intake.stress * relation.weight, "both",
                                          relation.muscles, relation.reason))

    if not intake.complaints:
        for region_id in settings.relaxation_regions:
            add(region_id, _Contribution(Fraction(settings.relaxation_score), "both",
                                         kb.regions[region_id].muscles, settings.relaxation_reason))
    return candidates


def _blocked(region: Region, intake: Intake, conditions) -> tuple[str, object] | None:
    """Why a region may not be planned (reason and what caused it), or None if it may."""
    if region.id in intake.avoid:
        return "client_avoid", None
    consent = intake.consent.get(region.id, "declined" if region.sensitive else "granted")
    if consent == "declined":
        return "consent_declined", None
    for condition in conditions:
        if region.id in condition.exclude_regions:
            return "caution", condition
    return None


def _work(intake: Intake, kb: Knowledge, conditions, pressure: str):
    candidates = _candidates(intake, kb)
    allowed: dict[str, _Candidate] = {}
    excluded = []
    lost: dict[str, Fraction] = {}
    for region_id in sorted(candidates, key=kb.region_order.__getitem__):
        candidate = candidates[region_id]
        blocked = _blocked(candidate.region, intake, conditions)
        if blocked is None:
            allowed.setdefault(region_id, _Candidate(candidate.region)).contributions.extend(
                candidate.contributions)
            continue
        reason, condition = blocked
        muscle_scores = candidate.muscle_scores()
        moved = _move_to_fallback(candidate, intake, kb, conditions, allowed)
        for muscle, score in muscle_scores.items():
            if muscle not in moved:
                lost[muscle] = lost.get(muscle, Fraction(0)) + score
        excluded.append({
            "region": region_id,
            "reason": reason,
            "note": _exclusion_note(candidate, reason, condition, moved, kb, intake,
                                    _fallback_open(candidate.region, intake, kb, conditions)),
        })

    if not allowed:
        allowed = _anything_workable(intake, kb, conditions)

    # Equal scores (relaxation work) follow the relaxation preference, then head to toe.
    preference = {r: i for i, r in enumerate(kb.settings.relaxation_regions)}
    ranked = sorted(allowed.values(), key=lambda c: (
        -c.score, preference.get(c.region.id, len(preference)), kb.region_order[c.region.id]))
    ranked = ranked[:intake.session_minutes // MIN_MINUTES]
    minutes = _allocate([c.score for c in ranked], intake.session_minutes)
    items = [_item(c, m, intake, kb, conditions, pressure) for c, m in zip(ranked, minutes,
                                                                          strict=True)]

    worked: dict[str, Fraction] = dict(lost)
    for candidate in ranked:
        for muscle, score in candidate.muscle_scores().items():
            worked[muscle] = worked.get(muscle, Fraction(0)) + score
    worked_regions = {c.region.id for c in ranked} | {e["region"] for e in excluded}
    return items, excluded, (worked, worked_regions)


def _fallback_open(region: Region, intake: Intake, kb: Knowledge, conditions) -> bool:
    return region.fallback is not None and _blocked(
        kb.regions[region.fallback], intake, conditions) is None


def _move_to_fallback(candidate: _Candidate, intake: Intake, kb: Knowledge, conditions,
                      allowed: dict[str, _Candidate]) -> set[str]:
    """Reach what can be reached from the fallback region (the hip from the side for the buttock)."""
    if not _fallback_open(candidate.region, intake, kb, conditions):
        return set()
    fallback_id = candidate.region.fallback
    fallback = kb.regions[fallback_id]
    moved = set()
    target = allowed.setdefault(fallback_id, _Candidate(fallback))
    for contribution in candidate.contributions:
        reachable = tuple(m for m in contribution.muscles if m in fallback.muscles)
        if not reachable:
            continue
        moved.update(reachable)
        share = Fraction(len(reachable), len(contribution.muscles))
        names = _and(kb.muscles[m].plain for m in reachable)
        target.contributions.append(_Contribution(
            contribution.score * share, contribution.side, reachable,
            f"The {candidate.region.name} may not be worked, so {names} "
            f"{'is' if len(reachable) == 1 else 'are'} reached from the {fallback.name} instead."))
    if not target.contributions:
        del allowed[fallback_id]
    return moved


def _anything_workable(intake: Intake, kb: Knowledge, conditions) -> dict[str, _Candidate]:
    """When nothing relevant may be worked: relaxation regions, else the first region allowed.

    Returns nothing only if no region at all may be worked; the plan is then empty and the
    exclusions say why.
    """
    reason = ("Nothing relevant to this client may be worked today, so this is general "
              "relaxation work on a region the client allows.")
    order = list(kb.settings.relaxation_regions) + [r for r in kb.regions
                                                    if r not in kb.settings.relaxation_regions]
    workable = {}
    for region_id in order:
        region = kb.regions[region_id]
        if _blocked(region, intake, conditions) is None:
            workable[region_id] = _Candidate(region, [_Contribution(
                Fraction(kb.settings.relaxation_score), "both", region.muscles, reason)])
            if region_id not in kb.settings.relaxation_regions:
                break
    return workable


def _allocate(scores: list[Fraction], total: int) -> list[int]:
    """Whole minutes, each at least MIN_MINUTES, summing exactly to ``total``.

    The time above the minimum is shared in proportion to score; leftover minutes go by the
    largest remainder, ties to the higher-ranked item (the order given).
    """
    if not scores:
        return []
    spare = total - MIN_MINUTES * len(scores)
    weight = sum(scores, Fraction(0))
    if weight == 0:  # only possible with a stress threshold of 0 in planner.toml
        scores, weight = [Fraction(1)] * len(scores), Fraction(len(scores))
    shares = [spare * s / weight for s in scores]
    minutes = [MIN_MINUTES + int(share) for share in shares]
    leftover = total - sum(minutes)
    by_remainder = sorted(range(len(scores)), key=lambda i: (-(shares[i] - int(shares[i])), i))
    for index in by_remainder[:leftover]:
        minutes[index] += 1
    return minutes


def _side(candidate: _Candidate) -> str:
    if candidate.region.sides == "midline":
        return "midline"
    sides = {c.side for c in candidate.contributions}
    if "both" in sides or sides >= {"left", "right"}:
        return "both"
    return sides.pop()


def _item(candidate: _Candidate, minutes: int, intake: Intake, kb: Knowledge, conditions,
          pressure: str) -> dict:
    region = candidate.region
    scores = candidate.muscle_scores()
    structures = sorted(scores, key=lambda m: (-scores[m], _muscle_rank(region, m)))
    reasons = []
    for contribution in sorted(candidate.contributions, key=lambda c: -c.score):
        if contribution.reason not in reasons:
            reasons.append(contribution.reason)
    item_pressure = pressure
    for condition in conditions:
        if region.id in condition.leg_regions and (
                PRESSURES.index(condition.region_pressure) < PRESSURES.index(item_pressure)):
            item_pressure = condition.region_pressure
        if region.id in condition.leg_regions:
            reasons.append(condition.region_pressure_reason)
    consent = intake.consent.get(region.id, "declined" if region.sensitive else "granted")
    if consent == "over_drape":
        reasons.append("Work over the drape: that is the consent the client gave.")
    if region.sensitive:
        reasons.append("Sensitive region: confirm consent before you start. "
                       "The client can stop at any moment.")
    return {
        "region": region.id,
        "side": _side(candidate),
        "minutes": minutes,
        "contact": CONTACT[consent],
        "pressure": item_pressure,
        "structures": structures,
        "reasons": reasons,
    }


def _and(words) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _muscle_rank(region: Region, muscle: str) -> tuple[int, str]:
    if muscle in region.muscles:
        return (region.muscles.index(muscle), muscle)
    return (len(region.muscles), muscle)


def _exclusion_note(candidate: _Candidate, reason: str, condition, moved: set[str],
                    kb: Knowledge, intake: Intake, fallback_open: bool) -> str:
    region = candidate.region
    if reason == "client_avoid":
        lead = f"The client asked that the {region.name} not be touched."
    elif reason == "consent_declined":
        lead = (f"The client has not consented to work on the {region.name}."
                if intake.consent.get(region.id) == "declined"
                else f"No consent was given for the {region.name}; sensitive regions are "
                     "worked only with consent.")
    else:
        lead = condition.excluded_note
    scores = candidate.muscle_scores()
    lost = [m for m in sorted(scores, key=lambda m: (-scores[m], _muscle_rank(region, m)))
            if m not in moved]
    parts = [lead]
    if lost:
        parts.append("This leaves out " + _and(kb.muscles[m].plain for m in lost) + ".")
    if moved and region.fallback:
        parts.append(f"Some of this work is moved to the {kb.regions[region.fallback].name}.")
    if reason == "caution":
        return " ".join(parts)
    # The region's own suggestion may rely on its fallback; only offer it if that is allowed.
    if region.instead and reason == "consent_declined" and (
            region.fallback is None or fallback_open):
        parts.append(region.instead)
        return " ".join(parts)
    care = [s.name for s in kb.self_care if set(s.targets) & set(lost)
            and not set(s.not_with) & intake.conditions][:2]
    instead = "Work the regions around it instead"
    instead += f", and suggest at home: {'; '.join(care)}." if care else "."
    parts.append(instead)
    if reason == "consent_declined":
        parts.append("Consent can be given later, at any visit.")
    return " ".join(parts)


def _self_care(worked, intake: Intake, kb: Knowledge) -> list[dict]:
    """Stretches for the muscles worked (or left out), most important muscle first.

    One suggestion per muscle not yet covered, so the few suggestions reach different areas.
    """
    muscle_scores, _ = worked
    allowed = [care for care in kb.self_care if not set(care.not_with) & intake.conditions]
    chosen, covered = [], set()
    for muscle in sorted(muscle_scores, key=lambda m: (-muscle_scores[m], m)):
        if len(chosen) == kb.settings.max_self_care:
            break
        if muscle in covered:
            continue
        care = next((c for c in allowed if muscle in c.targets and c not in chosen), None)
        if care is not None:
            chosen.append(care)
            covered.update(care.targets)
    return [
        {"id": care.id, "name": care.name, "targets": list(care.targets),
         "instructions": care.instructions, "sources": list(care.sources)}
        for care in chosen
    ]


def _education(intake: Intake, kb: Knowledge, worked) -> list[dict]:
    muscle_scores, regions = worked
    tags = {"always"}
    if intake.complaints:
        tags.add("complaints")
    if intake.stress >= kb.settings.stress_threshold:
        tags.add("stress")
    tags.update(f"region:{r}" for r in regions)
    tags.update(f"complaint:{c.region}" for c in intake.complaints)
    tags.update(f"structure:{m}" for m in muscle_scores)
    return [
        {"topic": topic.id, "title": topic.title, "text": topic.text,
         "sources": list(topic.sources)}
        for topic in kb.topics if tags & set(topic.relevant_when)
    ]


__all__ = ["IntakeError", "plan"]
