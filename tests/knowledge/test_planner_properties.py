"""Property-based tests: the contract's rules hold on every generated intake, and every
generated invalid intake exits 2 with named paths and nothing on stdout."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from knowledge_support import assert_v2_rules, plan_via_stdin, run_cli

from bodymap.knowledge import load, plan
from bodymap.knowledge.planner import _fill

KB = load()
REGIONS = list(KB.regions)
SYMPTOMS = list(KB.symptoms)
FLAGS = list(KB.flags)
CONDITIONS = list(KB.conditions)
MEDICATIONS = list(KB.medications)
ALLERGIES = list(KB.allergies)
LR_SIDES = st.sampled_from(["left", "right", "both"])

FAST = settings(
    derandomize=True, max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def unique(elements, max_size):
    return st.lists(elements, max_size=max_size, unique=True)


def complaint_lists(version):
    optional = {
        "side": st.sampled_from(["left", "right", "both"]),
        "symptoms": unique(st.sampled_from(SYMPTOMS), 4),
        "weeks": st.one_of(st.integers(0, 520), st.floats(0, 520)),
    }
    if version == 2:
        optional["onset"] = st.sampled_from(["sudden", "gradual"])
    return st.lists(
        st.fixed_dictionaries(
            {"region": st.sampled_from(REGIONS), "pain": st.integers(0, 10)}, optional=optional
        ),
        max_size=5,
        unique_by=lambda c: (
            c["region"],
            c.get("side", "both") if KB.regions[c["region"]].sides != "midline" else "both",
        ),
    )


complaints = complaint_lists(1)

# Red flags are rare in real life; mostly none, so most generated plans have work to check.
screening = st.one_of(
    st.just({}),
    st.dictionaries(st.sampled_from(FLAGS), st.booleans(), max_size=3),
    st.dictionaries(st.sampled_from(FLAGS), st.just(False), max_size=9),
)

valid_intakes = st.fixed_dictionaries(
    {"session_minutes": st.integers(15, 180)},
    optional={
        "version": st.just(1),
        "age": st.integers(0, 120),
        "pressure": st.sampled_from(["light", "medium", "firm"]),
        "complaints": complaints,
        "stress": st.integers(0, 10),
        "screening": screening,
        "conditions": unique(st.sampled_from(CONDITIONS), 4),
        "consent": st.dictionaries(
            st.sampled_from(REGIONS), st.sampled_from(["granted", "over_drape", "declined"]), max_size=6
        ),
        "avoid": unique(st.sampled_from(REGIONS), 6),
    },
)

# Version 2: every new field, often present, so the rules of section 3 are exercised.
v2_intakes = st.fixed_dictionaries(
    {"session_minutes": st.integers(15, 180), "version": st.just(2)},
    optional={
        "age": st.integers(0, 120),
        "pressure": st.sampled_from(["light", "medium", "firm"]),
        "complaints": complaint_lists(2),
        "stress": st.integers(0, 10),
        "screening": screening,
        "conditions": unique(st.sampled_from(CONDITIONS), 3),
        "consent": st.dictionaries(
            st.sampled_from(REGIONS), st.sampled_from(["granted", "over_drape", "declined"]), max_size=6
        ),
        "avoid": unique(st.sampled_from(REGIONS), 3),
        "medications": unique(st.sampled_from(MEDICATIONS), 2),
        "medications_text": st.text(max_size=20),
        "allergies": unique(st.sampled_from(ALLERGIES), 2),
        "allergies_text": st.text(max_size=20),
        "pregnancy": st.fixed_dictionaries({"weeks": st.integers(0, 42), "complications": st.booleans()}),
        "surgeries": st.lists(
            st.fixed_dictionaries(
                {"region": st.sampled_from(REGIONS), "weeks_ago": st.integers(0, 30)},
                optional={"side": LR_SIDES},
            ),
            max_size=2,
        ),
        "skin": st.lists(
            st.fixed_dictionaries(
                {
                    "region": st.sampled_from(REGIONS),
                    "kind": st.sampled_from(["rash", "wound", "infection", "burn", "bruise", "other"]),
                },
                optional={"side": LR_SIDES},
            ),
            max_size=2,
        ),
        "implants": st.lists(
            st.fixed_dictionaries(
                {
                    "kind": st.sampled_from(
                        [
                            "pacemaker",
                            "joint_replacement",
                            "breast_implants",
                            "port",
                            "neurostimulator",
                            "other",
                        ]
                    )
                },
                optional={"region": st.sampled_from(REGIONS), "side": LR_SIDES},
            ),
            max_size=2,
        ),
        "guardian": st.fixed_dictionaries(
            {"name": st.just("Sam Doe"), "consents": st.booleans(), "present": st.booleans()}
        ),
        "goals": st.sampled_from(["relaxation", "treatment", "both"]),
    },
)


@FAST
@given(v2_intakes)
def test_it_obeys_rules_1_to_10_on_every_version_2_intake(intake):
    result = plan(intake)
    assert_v2_rules(intake, result)
    # Rule 5: byte-identical output for the same intake.
    assert json.dumps(plan(json.loads(json.dumps(intake)))) == json.dumps(result)


@FAST
@given(valid_intakes)
def test_it_obeys_rules_1_to_10_on_every_version_1_intake(intake):
    assert_v2_rules(intake, plan(intake))


@FAST
@given(valid_intakes)
def test_it_has_nothing_to_plan_only_when_no_region_may_be_worked(intake):
    result = plan(intake)
    if result["decision"] == "nothing_to_plan":
        # Only when no region at all may be worked.
        assert all(
            r in intake.get("avoid", [])
            or intake.get("consent", {}).get(r, "declined" if KB.regions[r].sensitive else "granted")
            == "declined"
            or (r == "abdomen" and "pregnancy" in intake.get("conditions", []))
            for r in REGIONS
        )


@FAST
@given(valid_intakes)
def test_it_plans_a_side_only_for_paired_regions(intake):
    for entry in plan(intake)["plan"]:
        if KB.regions[entry["region"]].sides == "midline":
            assert entry["side"] == "midline"
        else:
            assert entry["side"] in ("left", "right", "both")


# Invalid intakes: one valid intake with one thing broken, at a known path.
BREAKERS = [
    (
        "session_minutes",
        st.one_of(
            st.integers(max_value=14),
            st.integers(min_value=181),
            st.booleans(),
            st.floats(15, 180),
            st.text(max_size=3),
        ),
    ),
    ("age", st.one_of(st.integers(min_value=121), st.integers(max_value=-1), st.just("48"))),
    ("pressure", st.sampled_from(["deep", "", 3, None, "Firm"])),
    ("stress", st.one_of(st.integers(min_value=11), st.booleans(), st.floats(0, 10))),
    (
        "complaints",
        st.one_of(
            st.just({"region": "neck"}),
            st.just("neck"),
            st.lists(st.just({"region": "elbow", "pain": 2}), min_size=1, max_size=2),
            st.lists(
                st.fixed_dictionaries({"region": st.just("neck"), "pain": st.integers(11, 99)}),
                min_size=1,
                max_size=1,
            ),
        ),
    ),
    (
        "screening",
        st.one_of(
            st.just([]),
            st.dictionaries(
                st.sampled_from(FLAGS), st.sampled_from(["yes", 1, None]), min_size=1, max_size=2
            ),
            st.just({"flu": True}),
        ),
    ),
    (
        "conditions",
        st.one_of(st.just("pregnancy"), st.lists(st.sampled_from(["flu", 7]), min_size=1, max_size=2)),
    ),
    (
        "consent",
        st.one_of(
            st.just(["gluteal"]),
            st.dictionaries(
                st.sampled_from(REGIONS), st.sampled_from(["yes", True, "GRANTED"]), min_size=1, max_size=2
            ),
            st.just({"elbow": "granted"}),
        ),
    ),
    ("avoid", st.one_of(st.just("foot"), st.lists(st.sampled_from(["elbow", 3]), min_size=1, max_size=2))),
    ("version", st.sampled_from([0, 3, "1", 1.0, True])),
    ("medications", st.one_of(st.just("insulin"), st.just(["aspirin"]))),
    (
        "pregnancy",
        st.one_of(st.just({"weeks": 50, "complications": False}), st.just({"weeks": 20}), st.just(True)),
    ),
    ("surgeries", st.just([{"region": "knee", "weeks_ago": -1}])),
    ("skin", st.just([{"region": "knee", "kind": "mole"}])),
    ("implants", st.just([{"kind": "pacemaker", "region": "elbow"}])),
    ("guardian", st.just({"name": "", "consents": True, "present": True})),
    ("goals", st.just("fun")),
    ("medications_text", st.just("x" * 1001)),
    ("colour", st.just("blue")),
]


@st.composite
def invalid_intakes(draw):
    intake = draw(valid_intakes)
    field, values = draw(st.sampled_from(BREAKERS))
    intake[field] = draw(values)
    return field, intake


@FAST
@given(invalid_intakes())
def test_it_exits_2_naming_the_path_for_every_invalid_intake(case):
    field, intake = case
    status, out, err = plan_via_stdin(intake)
    assert status == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines and err.endswith("\n")
    assert any(line.startswith(field) for line in lines)
    assert all(": " in line for line in lines)


@FAST
@given(st.one_of(st.text(max_size=40), st.binary(max_size=40).map(lambda b: b.decode("latin-1"))))
def test_it_exits_2_without_a_traceback_for_arbitrary_text(text):
    status, out, err = run_cli(["plan", "-"], text)
    if status == 0:  # arbitrary text can happen to be a valid intake; then it must plan
        assert json.loads(out)["version"] == 2
    else:
        assert (status, out) == (2, "")
        assert err.endswith("\n") and "Traceback" not in err


@FAST
@given(
    st.integers(15, 180).flatmap(
        lambda total: st.tuples(
            st.just(total), st.lists(st.fractions(min_value=0, max_value=50), min_size=1, max_size=total // 5)
        )
    )
)
def test_it_allocates_whole_minutes_of_at_least_five_that_sum_exactly(case):
    total, scores = case
    caps = [total] * len(scores)
    minutes, left = _fill([s or 1 for s in scores], caps, total)
    assert sum(minutes) == total and left == 0
    assert all(isinstance(m, int) and m >= 5 for m in minutes)
    assert (minutes, left) == _fill([s or 1 for s in scores], caps, total)


@FAST
@given(
    st.integers(15, 180).flatmap(
        lambda total: st.tuples(
            st.just(total),
            st.lists(
                st.tuples(st.fractions(min_value=1, max_value=50), st.integers(5, total)),
                min_size=1,
                max_size=total // 5,
            ),
        )
    )
)
def test_it_keeps_every_share_within_its_cap_and_reports_the_rest(case):
    total, pairs = case
    scores, caps = [p[0] for p in pairs], [p[1] for p in pairs]
    minutes, left = _fill(scores, caps, total)
    assert all(5 <= m <= c for m, c in zip(minutes, caps, strict=True))
    assert sum(minutes) + left == total
    if left:
        assert minutes == caps
