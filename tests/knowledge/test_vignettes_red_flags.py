"""Red flags read from the whole intake (docs/intake-plan-v2.md, section 2). Each vignette is
a client as a therapist would meet them; a screening "no" never cancels what the body map shows.
"""

import pytest

from bodymap.knowledge import plan

ALL_NO = {
    "saddle_numbness": False,
    "bladder_bowel_change": False,
    "leg_weakness_progressive": False,
    "calf_swelling_redness": False,
    "chest_pain_breathless": False,
    "fever": False,
    "unexplained_weight_loss": False,
    "recent_trauma": False,
    "cancer_history": False,
}


def intake(**fields):
    return {"version": 2, "session_minutes": 60, "screening": dict(ALL_NO), **fields}


def referral(result, flag):
    return next(r for r in result["referrals"] if r["flag"] == flag)


# (vignette, intake, flag, urgency, what the message must name)
DERIVED = [
    (
        "buttock numb on both sides after lifting, answered no to saddle numbness",
        intake(
            complaints=[
                {"region": "gluteal", "side": "both", "pain": 5, "symptoms": ["numbness"], "weeks": 1}
            ]
        ),
        "saddle_numbness",
        "emergency",
        "numbness in the buttock on both sides",
    ),
    (
        "tingling on the left and right buttock marked separately",
        intake(
            complaints=[
                {"region": "gluteal", "side": "left", "pain": 3, "symptoms": ["tingling"]},
                {"region": "gluteal", "side": "right", "pain": 3, "symptoms": ["tingling"]},
            ]
        ),
        "saddle_numbness",
        "emergency",
        "tingling in the buttock on the left",
    ),
    (
        "numbness over the sacrum with a sore low back",
        intake(complaints=[{"region": "sacrum", "pain": 4, "symptoms": ["numbness"]}]),
        "saddle_numbness",
        "emergency",
        "numbness in the sacrum",
    ),
    (
        "numb inner thigh on one side",
        intake(complaints=[{"region": "inner_thigh", "side": "right", "pain": 2, "symptoms": ["numbness"]}]),
        "saddle_numbness",
        "emergency",
        "numbness in the inner thigh on the right",
    ),
    (
        "low back pain with numbness down both legs (a cauda equina sign)",
        intake(
            complaints=[
                {"region": "low_back", "pain": 7, "weeks": 2},
                {"region": "posterior_thigh", "side": "both", "pain": 4, "symptoms": ["numbness"]},
            ]
        ),
        "leg_weakness_progressive",
        "emergency",
        "numbness in the back of the thigh on both sides",
    ),
    (
        "low back pain with weak calves left and right",
        intake(
            complaints=[
                {"region": "mid_back", "pain": 5},
                {"region": "calf", "side": "left", "pain": 3, "symptoms": ["weakness"]},
                {"region": "calf", "side": "right", "pain": 3, "symptoms": ["weakness"]},
            ]
        ),
        "leg_weakness_progressive",
        "emergency",
        "weakness in the calf on the left",
    ),
    (
        "weakness in one foot since a week, no back pain",
        intake(complaints=[{"region": "foot", "side": "left", "pain": 2, "symptoms": ["weakness"]}]),
        "leg_weakness",
        "clearance",
        "weakness in the foot on the left",
    ),
    (
        "one calf swollen and painful after surgery",
        intake(
            complaints=[{"region": "calf", "side": "right", "pain": 6, "symptoms": ["swelling"]}],
            surgeries=[{"region": "knee", "side": "right", "weeks_ago": 3}],
        ),
        "calf_swelling_redness",
        "emergency",
        "swelling in the calf on the right",
    ),
    (
        "calf ache at 30 weeks pregnant",
        intake(
            complaints=[{"region": "calf", "side": "left", "pain": 3, "symptoms": ["ache"]}],
            pregnancy={"weeks": 30, "complications": False},
        ),
        "calf_pain_clot_risk",
        "clearance",
        "calf on the left",
    ),
    (
        "calf pain with a past clot",
        intake(complaints=[{"region": "calf", "side": "left", "pain": 4}], conditions=["dvt_history"]),
        "calf_pain_clot_risk",
        "clearance",
        "pain of 4 out of 10 in the calf",
    ),
    (
        "calf pain eight weeks after a hip operation",
        intake(
            complaints=[{"region": "calf", "side": "right", "pain": 3}],
            surgeries=[{"region": "lateral_hip", "side": "right", "weeks_ago": 8}],
        ),
        "calf_pain_clot_risk",
        "clearance",
        "calf on the right",
    ),
    (
        "chest pain 7/10 spreading down the left arm, answered no to chest pain",
        intake(
            complaints=[
                {"region": "chest", "pain": 7, "symptoms": ["radiating"]},
                {"region": "upper_arm", "side": "left", "pain": 5, "symptoms": ["radiating"]},
            ]
        ),
        "chest_pain_breathless",
        "emergency",
        "pain that spreads in the chest wall",
    ),
    (
        "new chest wall pain of 6 for a week, no other symptom",
        intake(complaints=[{"region": "chest", "pain": 6, "weeks": 1}], consent={"chest": "granted"}),
        "chest_pain_breathless",
        "emergency",
        "pain of 6 out of 10 in the chest wall",
    ),
    (
        "jaw pain spreading, with a chest complaint",
        intake(
            complaints=[
                {"region": "chest", "pain": 2, "weeks": 20},
                {"region": "jaw", "side": "left", "pain": 3, "symptoms": ["radiating"]},
            ]
        ),
        "chest_pain_breathless",
        "emergency",
        "pain that spreads in the jaw on the left",
    ),
    (
        "sudden sharp belly pain 9/10",
        intake(complaints=[{"region": "abdomen", "pain": 9, "symptoms": ["sharp"]}]),
        "acute_abdomen",
        "emergency",
        "the belly",
    ),
    (
        "any belly pain in pregnancy",
        intake(
            complaints=[{"region": "abdomen", "pain": 2, "weeks": 10}],
            pregnancy={"weeks": 14, "complications": False},
        ),
        "acute_abdomen",
        "emergency",
        "your pregnancy",
    ),
    (
        "a 68-year-old with belly ache and back ache",
        intake(
            age=68,
            complaints=[
                {"region": "abdomen", "pain": 3, "weeks": 10},
                {"region": "low_back", "pain": 4, "weeks": 10},
            ],
        ),
        "abdominal_and_back_pain_older_age",
        "clearance",
        "your age, 68",
    ),
    (
        "sudden 9/10 headache with a stiff neck",
        intake(
            complaints=[
                {"region": "neck", "pain": 9, "symptoms": ["headache", "stiffness"], "onset": "sudden"}
            ]
        ),
        "sudden_severe_headache",
        "emergency",
        "headache in the neck",
    ),
    (
        "a severe headache with no onset and no weeks given counts as new",
        intake(complaints=[{"region": "scalp", "pain": 8, "symptoms": ["headache"], "onset": "gradual"}]),
        "sudden_severe_headache",
        "emergency",
        "headache in the scalp",
    ),
    (
        "night pain at 55",
        intake(
            age=55,
            complaints=[
                {"region": "shoulder", "side": "left", "pain": 4, "symptoms": ["night_pain"], "weeks": 20}
            ],
        ),
        "night_pain",
        "clearance",
        "your age, 55",
    ),
    (
        "new neck pain a month after breast cancer treatment",
        intake(
            complaints=[{"region": "neck", "pain": 3, "weeks": 4}],
            screening={**ALL_NO, "cancer_history": True},
        ),
        "cancer_history",
        "clearance",
        "pain of 3 out of 10 in the neck",
    ),
    (
        "osteoporosis and new sharp back pain",
        intake(
            age=70,
            conditions=["osteoporosis"],
            complaints=[{"region": "mid_back", "pain": 6, "symptoms": ["sharp"], "weeks": 2}],
        ),
        "possible_fracture",
        "clearance",
        "sharp pain in the middle of the back",
    ),
    (
        "long-term steroids and new sharp low back pain",
        intake(
            medications=["corticosteroid_long_term"],
            complaints=[{"region": "low_back", "pain": 5, "symptoms": ["sharp"], "weeks": 1}],
        ),
        "possible_fracture",
        "clearance",
        "your health history",
    ),
    (
        "a nine-year-old with back pain",
        intake(age=9, complaints=[{"region": "upper_back", "pain": 3, "weeks": 6}]),
        "back_pain_in_a_child",
        "clearance",
        "your age, 9",
    ),
    (
        "a pregnancy with complications",
        intake(pregnancy={"weeks": 24, "complications": True}),
        "pregnancy_with_complications",
        "clearance",
        "your pregnancy",
    ),
]


@pytest.mark.parametrize(
    ("vignette", "case", "flag", "urgency", "named"), DERIVED, ids=[row[0] for row in DERIVED]
)
def test_it_stops_the_session_for_a_trigger_the_body_map_shows(vignette, case, flag, urgency, named):
    result = plan(case)
    expected = "refer_emergency" if urgency == "emergency" else "medical_clearance"
    assert result["decision"] == expected, vignette
    assert result["plan"] == []
    found = referral(result, flag)
    assert found["urgency"] == urgency
    assert named in found["message"]
    assert not any(e.startswith("screening.") and not case["screening"][e[10:]] for e in found["evidence"])
    if urgency == "emergency":
        assert "emergency department now" in found["message"]
    else:
        assert "routine" not in found["message"].lower()


SCREENED = [row for row in DERIVED if row[2] in ALL_NO]


@pytest.mark.parametrize(
    ("vignette", "case", "flag", "urgency", "named"), SCREENED, ids=[row[0] for row in SCREENED]
)
def test_it_gives_one_referral_when_the_answer_and_the_body_map_agree(vignette, case, flag, urgency, named):
    case = {**case, "screening": {**case["screening"], flag: True}}
    result = plan(case)
    assert [r["flag"] for r in result["referrals"]].count(flag) == 1
    found = referral(result, flag)
    assert f"screening.{flag}" in found["evidence"]
    assert any(e.startswith("complaints[") for e in found["evidence"])
    assert named in found["message"]


# (vignette, intake): close to a red flag, but not one; the session goes ahead.
NOT_FLAGS = [
    (
        "numbness in one buttock only",
        intake(
            complaints=[{"region": "gluteal", "side": "left", "pain": 4, "symptoms": ["numbness"]}],
            consent={"gluteal": "granted"},
        ),
    ),
    (
        "numbness in both legs without back pain, no weakness",
        intake(complaints=[{"region": "foot", "side": "both", "pain": 2, "symptoms": ["numbness"]}]),
    ),
    (
        "an old chest wall ache after a cough, months ago",
        intake(
            complaints=[{"region": "chest", "pain": 3, "symptoms": ["ache"], "weeks": 12}],
            consent={"chest": "granted"},
        ),
    ),
    (
        "a long-standing tension headache of 8, gradual, for months",
        intake(
            complaints=[
                {"region": "scalp", "pain": 8, "symptoms": ["headache"], "onset": "gradual", "weeks": 30}
            ]
        ),
    ),
    (
        "night pain at 40 with no cancer history",
        intake(
            age=40,
            complaints=[
                {"region": "shoulder", "side": "right", "pain": 3, "symptoms": ["night_pain"], "weeks": 8}
            ],
        ),
    ),
    (
        "a twelve-year-old with back pain (12 is not under 12)",
        intake(age=12, complaints=[{"region": "upper_back", "pain": 2, "weeks": 3}]),
    ),
    (
        "calf cramp with no clot risk",
        intake(complaints=[{"region": "calf", "side": "left", "pain": 3, "weeks": 4}]),
    ),
    (
        "cancer years ago, a shoulder complaint, no back pain",
        intake(
            complaints=[{"region": "shoulder", "side": "left", "pain": 3, "weeks": 20}],
            screening={**ALL_NO, "cancer_history": True},
        ),
    ),
]


@pytest.mark.parametrize(("vignette", "case"), NOT_FLAGS, ids=[row[0] for row in NOT_FLAGS])
def test_it_goes_ahead_when_no_red_flag_is_there(vignette, case):
    result = plan(case)
    assert result["decision"] == "proceed", (vignette, result["referrals"])
    assert result["referrals"] == []


def test_it_keeps_cancer_history_a_caution_without_new_pain():
    result = plan(
        intake(
            complaints=[{"region": "shoulder", "side": "left", "pain": 3, "weeks": 20}],
            screening={**ALL_NO, "cancer_history": True},
        )
    )
    assert [c["condition"] for c in result["cautions"]] == ["cancer_history"]


def test_it_lets_an_emergency_win_over_a_clearance():
    result = plan(
        intake(
            age=9,
            complaints=[
                {"region": "upper_back", "pain": 3},
                {"region": "calf", "side": "left", "pain": 5, "symptoms": ["swelling"]},
            ],
        )
    )
    assert result["decision"] == "refer_emergency"
    assert {r["urgency"] for r in result["referrals"]} == {"emergency", "clearance"}
