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
        {"region": "posterior_thigh", "side": "left", "pain": 5,
         "symptoms": ["radiating", "worse_sitting"]},
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
    """The six rules of spec/intake-plan-v1.md, checked on one output."""
    kb = load()
    # Rule 1: nothing declined, avoided, or sensitive without consent.
    for entry in plan["plan"]:
        assert entry["region"] not in intake.get("avoid", [])
        assert effective_consent(intake, entry["region"]) != "declined"
        # Rule 2: over_drape consent means over_drape contact only.
        expected = "over_drape" if effective_consent(intake, entry["region"]) == "over_drape" \
            else "skin"
        assert entry["contact"] == expected
        assert entry["reasons"] and all(r.strip() for r in entry["reasons"])
        assert set(entry["structures"]) <= set(kb.regions[entry["region"]].muscles)
    # Rule 3: any emergency flag refers; any clearance flag (no emergency) clears first.
    urgencies = {r["urgency"] for r in plan["referrals"]}
    if "emergency" in urgencies:
        assert plan["decision"] == "refer_emergency" and plan["plan"] == []
    elif "clearance" in urgencies:
        assert plan["decision"] == "medical_clearance" and plan["plan"] == []
    else:
        assert plan["decision"] == "proceed"
    triggered = [f for f, v in intake.get("screening", {}).items() if v]
    assert {r["flag"] for r in plan["referrals"]} <= set(triggered)
    # Rule 4: whole minutes, at least 5 each, summing to the session.
    if plan["plan"]:
        minutes = [entry["minutes"] for entry in plan["plan"]]
        assert all(type(m) is int and m >= 5 for m in minutes)
        assert sum(minutes) == intake["session_minutes"]
    # Rule 6: education cites known sources, and nothing weak is stated as established.
    for topic in plan["education"]:
        assert topic["sources"] and set(topic["sources"]) <= set(kb.sources)
        if "cortisol" in topic["text"].lower():
            assert "not supported" in topic["text"]
    for text in client_texts(plan):
        assert not re.search(r"massage (does |will |can )?(lower|reduce)s? cortisol",
                             text.replace("You may read that massage lowers cortisol", ""),
                             re.IGNORECASE)
        assert "stress tightens the buttock" not in text.replace(
            "no evidence that stress tightens the buttock", "")


def client_texts(plan):
    yield from (r["message"] for r in plan["referrals"])
    yield from (t["text"] for t in plan["education"])
    yield from (s["instructions"] for s in plan["self_care"])
    yield from (r for entry in plan["plan"] for r in entry["reasons"])
    yield from (e["note"] for e in plan["excluded"])
