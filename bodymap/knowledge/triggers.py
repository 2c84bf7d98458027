"""Red flags from the whole intake: the screening answers, and the triggers derived from the
complaints, age and history (docs/intake-plan-v2.md, section 2). A screening "no" never cancels
a derived trigger."""

from __future__ import annotations

from .intake import Complaint, Intake
from .loader import SURGERY_TRIGGER_WEEKS, Clause, Knowledge, Trigger

_SIDE_WORDS = {"left": "on the left", "right": "on the right", "both": "on both sides"}


def screen(intake: Intake, kb: Knowledge) -> tuple[list[dict], list[dict]]:
    """One referral per flag (answered, derived or both) with its evidence, and the cautions of
    conditional flags that stay cautions."""
    referrals: dict[str, dict] = {}
    cautions: dict[str, dict] = {}
    complaint_regions = {c.region for c in intake.complaints}
    symptoms = {s for c in intake.complaints for s in c.symptoms}
    for flag in kb.flags.values():
        if flag.id not in intake.flags:
            continue
        urgency = flag.outcome
        if urgency == "conditional":
            clearance = complaint_regions & set(flag.clearance_when_regions) or symptoms & set(
                flag.clearance_when_symptoms
            )
            if not clearance:
                cautions[flag.id] = {"condition": flag.id, "advice": flag.caution_advice}
                continue
            urgency = "clearance"
        referrals[flag.id] = {
            "flag": flag.id,
            "urgency": urgency,
            "message": f"{flag.message} {_answered(flag.question)}",
            "evidence": [f"screening.{flag.id}"],
        }
    for trigger in kb.triggers:
        found = fires(trigger, intake, kb)
        if found is None:
            continue
        evidence, seen = found
        key = trigger.screening or trigger.id
        referral = referrals.get(key)
        if referral is None:
            referrals[key] = {
                "flag": key,
                "urgency": trigger.outcome,
                "message": f"{trigger.message} {seen}",
                "evidence": evidence,
            }
            cautions.pop(key, None)
            continue
        if trigger.outcome == "emergency":
            referral["urgency"] = "emergency"
        if seen not in referral["message"]:
            referral["message"] = f"{referral['message']} {seen}"
        referral["evidence"] += [e for e in evidence if e not in referral["evidence"]]
    return list(referrals.values()), list(cautions.values())


def _answered(question: str) -> str:
    return f"You answered yes to: {question}"


def fires(trigger: Trigger, intake: Intake, kb: Knowledge) -> tuple[list[str], str] | None:
    """The evidence and a sentence naming what was seen, or None if no clause holds."""
    evidence: list[str] = []
    seen: list[str] = []
    for clause in trigger.clauses:
        found = _clause(clause, intake)
        if found is None:
            continue
        clause_evidence, complaints = found
        evidence += [e for e in clause_evidence if e not in evidence]
        for complaint in complaints:
            text = _describe(complaint, clause, kb)
            if text not in seen:
                seen.append(text)
    if not evidence:
        return None
    return evidence, _seen_sentence(seen, evidence, intake, kb)


def _clause(clause: Clause, intake: Intake) -> tuple[list[str], list[Complaint]] | None:
    evidence: list[str] = []
    if clause.age_at_least is not None or clause.age_under is not None:
        if intake.age is None:
            return None
        if clause.age_at_least is not None and intake.age < clause.age_at_least:
            return None
        if clause.age_under is not None and intake.age >= clause.age_under:
            return None
        evidence.append("age")
    if clause.pregnancy_complications:
        if not (intake.pregnancy and intake.pregnancy.complications):
            return None
        evidence.append("pregnancy")
    if clause.history_any:
        history = _history(clause.history_any, intake)
        if not history:
            return None
        evidence += history
    matched: list[Complaint] = []
    if clause.needs_complaint:
        matched = [c for c in intake.complaints if _matches(c, clause)]
        if clause.bilateral:
            matched = _bilateral(matched)
        if clause.one_side:
            matched = [c for c in matched if c.side in ("left", "right")]
        if not matched:
            return None
    also: list[Complaint] = []
    if clause.also_regions:
        also = [c for c in intake.complaints if c.region in clause.also_regions and c not in matched]
        if not also:
            return None
    complaints = sorted(matched + also, key=lambda c: c.index)
    return [f"complaints[{c.index}]" for c in complaints] + evidence, complaints


def _matches(complaint: Complaint, clause: Clause) -> bool:
    if clause.regions and complaint.region not in clause.regions:
        return False
    if clause.symptoms_any and not set(clause.symptoms_any) & set(complaint.symptoms):
        return False
    if clause.pain_at_least is not None and complaint.pain < clause.pain_at_least:
        return False
    # Left out, weeks and onset count as new: when in doubt, the therapist asks first.
    weeks = complaint.weeks if complaint.weeks is not None else 0
    if clause.weeks_under is not None and weeks >= clause.weeks_under:
        return False
    return not (clause.sudden and complaint.onset == "gradual")


def _bilateral(complaints: list[Complaint]) -> list[Complaint]:
    """Complaints on both sides: side both (or midline), or one region marked left and right."""
    found = [c for c in complaints if c.side == "both"]
    sides: dict[str, set[str]] = {}
    for complaint in complaints:
        sides.setdefault(complaint.region, set()).add(complaint.side)
    found += [c for c in complaints if c.side != "both" and sides[c.region] >= {"left", "right"}]
    return found


def _history(wanted: tuple[str, ...], intake: Intake) -> list[str]:
    found = []
    for item in wanted:
        if item == "pregnancy" and intake.pregnancy is not None:
            found.append("pregnancy")
        elif item in intake.conditions:
            found.append("conditions")
        elif item in intake.medications:
            found.append("medications")
        elif item in intake.flags:
            found.append(f"screening.{item}")
        elif item == "surgery_within_12_weeks":
            found += [f"surgeries[{s.index}]" for s in intake.surgeries if s.weeks < SURGERY_TRIGGER_WEEKS]
    return list(dict.fromkeys(found))


def _describe(complaint: Complaint, clause: Clause, kb: Knowledge) -> str:
    region = kb.regions[complaint.region]
    named = [kb.symptoms[s].name for s in clause.symptoms_any if s in complaint.symptoms]
    what = " and ".join(named) if named else f"pain of {complaint.pain} out of 10"
    where = region.name.split(" (")[0]
    side = "" if region.sides == "midline" else f" {_SIDE_WORDS[complaint.side]}"
    return f"{what} in the {where}{side}"


def _seen_sentence(seen: list[str], evidence: list[str], intake: Intake, kb: Knowledge) -> str:
    parts = []
    if seen:
        parts.append("You marked " + "; ".join(seen) + ".")
    told = []
    if "age" in evidence:
        told.append(f"your age, {intake.age}")
    if "pregnancy" in evidence:
        told.append("your pregnancy")
    if (
        "conditions" in evidence
        or "medications" in evidence
        or any(e.startswith(("screening.", "surgeries[")) for e in evidence)
    ):
        told.append("your health history")
    if told:
        parts.append("We also took into account " + " and ".join(told) + ".")
    return " ".join(parts)
