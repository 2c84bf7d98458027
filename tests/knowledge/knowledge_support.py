"""Shared helpers for the knowledge tests: intakes, running the CLI, and the contract's rules."""

import io
import json
import re

from bodymap.knowledge import load
from bodymap.knowledge.cli import main

FOUNDING_INTAKE = {
    "version": 1,
    "session_minutes": 60,
    "age": 48,
    "pressure": "medium",
    "complaints": [
        {"region": "low_back", "pain": 6, "symptoms": ["stiffness"], "weeks": 3},
        {"region": "posterior_thigh", "side": "left", "pain": 5, "symptoms": ["radiating", "worse_sitting"]},
    ],
    "stress": 7,
    "screening": {"saddle_numbness": False},
    "conditions": ["hypertension"],
    "consent": {"gluteal": "granted", "abdomen": "declined"},
    "avoid": ["foot"],
}


def run_cli(argv, stdin_text=""):
    """Run ``main`` and return (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, stdin=io.StringIO(stdin_text), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def plan_via_stdin(intake):
    return run_cli(["plan", "-"], json.dumps(intake))


def item(plan, region):
    """The plan item for ``region``, or None."""
    return next((i for i in plan["plan"] if i["region"] == region), None)


def excluded(plan, region):
    return next((e for e in plan["excluded"] if e["region"] == region), None)


def effective_consent(intake, region_id):
    region = load().regions[region_id]
    return intake.get("consent", {}).get(region_id, "declined" if region.sensitive else "granted")


_PARENS = re.compile(r"\([^)]*\)")


def long_sentences(text, limit=25):
    """Sentences of ``text`` over ``limit`` words, not counting plain-language translations."""
    return [s for s in re.split(r"(?<=[.!?])\s+", _PARENS.sub("", text)) if len(s.split()) > limit]


def assert_contract_rules(intake, plan):
    """The contract's rules on one output: version 1's six as version 2 restates them, and
    version 2's four more."""
    assert_v2_rules(intake, plan)


def client_texts(plan):
    yield from (r["message"] for r in plan["referrals"])
    yield from (t["text"] for t in plan["education"])
    yield from (s["instructions"] for s in plan["self_care"])
    yield from (r for entry in plan["plan"] for r in entry["reasons"])
    yield from (e["note"] for e in plan["excluded"])


def _rank(pressure):
    return ("light", "medium", "firm").index(pressure)


def _overlaps(a, b):
    return "both" in (a, b) or "midline" in (a, b) or a == b


def assert_v2_rules(intake, plan):
    """Rules 1 to 10 of docs/intake-plan-v2.md on one output (rule 5 is checked by the caller)."""
    kb = load()
    rules = kb.rules
    items = plan["plan"]
    total = intake["session_minutes"]
    age = intake.get("age")
    conditions = set(intake.get("conditions", []))
    medications = set(intake.get("medications", []))
    pregnancy = intake.get("pregnancy")
    if pregnancy is not None:
        conditions.add("pregnancy")
    if "anticoagulant" in medications:
        conditions.add("anticoagulants")
    guardian = intake.get("guardian") or {}
    guarded = guardian.get("consents") and guardian.get("present")
    assert plan["version"] == 2
    assert len({e["region"] for e in items}) == len(items), "one item per region"
    # Rules 1 and 2: consent, avoidance, minors, contact.
    for entry in items:
        region = kb.regions[entry["region"]]
        assert entry["region"] not in intake.get("avoid", [])
        consent = effective_consent(intake, entry["region"])
        assert consent != "declined"
        assert entry["contact"] == ("over_drape" if consent == "over_drape" else "skin")
        if region.sensitive and age is not None and age < 16:
            assert guarded
        assert entry["reasons"] and all(r.strip() for r in entry["reasons"])
        assert set(entry["structures"]) <= set(region.muscles)
    # Rules 3 and 7: any referral stops the session; emergency wins.
    urgencies = {r["urgency"] for r in plan["referrals"]}
    if "emergency" in urgencies:
        assert plan["decision"] == "refer_emergency" and items == []
    elif "clearance" in urgencies:
        assert plan["decision"] == "medical_clearance" and items == []
    else:
        assert plan["decision"] in ("proceed", "nothing_to_plan")
        assert (plan["decision"] == "nothing_to_plan") == (items == [])
    for referral in plan["referrals"]:
        assert referral["evidence"]
        if referral["urgency"] == "emergency":
            assert "emergency department now" in referral["message"]
        assert "routine" not in referral["message"].lower()
        assert "call your doctor today" not in referral["message"].lower()
    for flag, answer in intake.get("screening", {}).items():
        if answer and kb.flags[flag].outcome != "conditional":
            assert plan["decision"] != "proceed"
    # A few derived triggers, checked here independently of the planner's own matching.
    for complaint in intake.get("complaints", []):
        symptoms = set(complaint.get("symptoms", []))
        if complaint["region"] in ("inner_thigh", "sacrum") and symptoms & {"numbness", "tingling"}:
            assert plan["decision"] == "refer_emergency"
        if complaint["region"] == "calf" and "swelling" in symptoms:
            assert plan["decision"] == "refer_emergency"
        if complaint["region"] == "chest" and symptoms & {"sharp", "radiating", "burning"}:
            assert plan["decision"] == "refer_emergency"
        if "headache" in symptoms and complaint["pain"] >= 8 and complaint.get("onset", "sudden") == "sudden":
            assert plan["decision"] == "refer_emergency"
    # Rule 4: whole minutes, at least 5 each; with unallocated time, exactly the session.
    if items:
        minutes = [entry["minutes"] for entry in items]
        assert all(type(m) is int and m >= 5 for m in minutes)
        assert sum(minutes) + plan["unallocated_minutes"] == total
    assert bool(plan["unallocated_minutes"]) == bool(plan["unallocated_note"])
    # Rule 6: education cites known sources; nothing weak is stated as established.
    for topic in plan["education"]:
        assert topic["sources"] and set(topic["sources"]) <= set(kb.sources)
    for text in client_texts(plan):
        assert not re.search(
            r"massage (does |will |can )?(lower|reduce)s? cortisol",
            text.replace("You may read that massage lowers cortisol", ""),
            re.IGNORECASE,
        )
    # Rule 8: item pressure never above the plan's, and every row of section 3.
    caps = [intake.get("pressure", "medium")]
    if age is not None and age < 12:
        caps.append("light")
    if age is not None and (age < 16 or age >= 75):
        caps.append("medium")
    if conditions & {"anticoagulants", "bleeding_disorder", "osteoporosis"}:
        caps.append("light")
    if medications & {"corticosteroid_long_term", "pain_relief_today", "antiplatelet"} or (
        "low_platelets" in conditions
    ):
        caps.append("medium")
    assert _rank(plan["pressure"]) <= min(_rank(p) for p in caps)
    late = "pregnancy" in conditions and (pregnancy is None or pregnancy["weeks"] >= 20)
    for entry in items:
        region, pressure = entry["region"], _rank(entry["pressure"])
        assert pressure <= _rank(plan["pressure"])
        if pressure == 0:
            assert not any(kb.muscles[m].deep for m in entry["structures"])
        for complaint in intake.get("complaints", []):
            if complaint["region"] != region:
                continue
            symptoms = set(complaint.get("symptoms", []))
            if "swelling" in symptoms or ("sharp" in symptoms and complaint.get("weeks", 0) < 2):
                assert pressure == 0
            if "numbness" in symptoms:
                assert pressure <= 1
        for surgery in intake.get("surgeries", []):
            if surgery["weeks_ago"] < 6 and region in rules.legs:
                assert pressure <= 1
            if surgery["region"] == region and _overlaps(surgery.get("side", "both"), entry["side"]):
                assert surgery["weeks_ago"] >= 6
                if surgery["weeks_ago"] < 12:
                    assert pressure == 0
        for skin in intake.get("skin", []):
            if skin["region"] == region and _overlaps(skin.get("side", "both"), entry["side"]):
                assert skin["kind"] == "bruise" and pressure == 0
        if late and region in rules.legs:
            assert pressure <= 1
        if late and region in ("calf", "inner_thigh"):
            assert pressure == 0
        if "pregnancy" in conditions:
            assert region != "abdomen"
    # Rule 9: the caps, and every complaint region accounted for.
    if plan["decision"] in ("proceed", "nothing_to_plan"):
        complaint_regions = {c["region"] for c in intake.get("complaints", [])}
        accounted = (
            {e["region"] for e in items}
            | {e["region"] for e in plan["excluded"]}
            | {e["region"] for e in plan["not_reached"]}
        )
        assert complaint_regions <= accounted
        if len(items) >= 2:
            assert all(e["minutes"] <= total * 2 // 5 for e in items)
        for entry in items:
            if kb.regions[entry["region"]].sensitive:
                assert entry["minutes"] <= total // 4
        worked = [e["minutes"] for e in items if e["region"] in complaint_regions]
        if worked:
            assert all(e["minutes"] <= max(worked) for e in items if e["region"] not in complaint_regions)
        pains = [e["pain"] for e in plan["not_reached"]]
        assert pains == sorted(pains, reverse=True)
    # Rule 10: no self-care the data rules out for this client.
    implant_regions = {
        i.get("region") for i in intake.get("implants", []) if i["kind"] == "joint_replacement"
    }
    for care in plan["self_care"]:
        data = next(c for c in kb.self_care if c.id == care["id"])
        assert not set(data.not_with) & conditions
        assert not (late and data.lying_on_back)
        assert not (set(data.end_range_of) & implant_regions)
        assert None not in implant_regions or not data.end_range_of
