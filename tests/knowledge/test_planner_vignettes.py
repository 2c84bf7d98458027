"""Clinical vignettes: realistic clients, each checked against what the contract promises."""

import pytest
from knowledge_support import assert_contract_rules, excluded, item

from bodymap.knowledge import load, plan, regions

BACK_REGIONS = ["upper_back", "mid_back", "low_back", "sacrum"]
LEG_REGIONS = ["anterior_thigh", "posterior_thigh", "lateral_thigh", "knee", "calf", "shin"]


# The founding clinic, "Breathe…Deeply Massage": low back pain with sitting-aggravated buttock
# and leg pain, in a 60-minute session, with and without gluteal consent.


def test_it_plans_gluteal_work_when_the_founding_client_consents(founding):
    """Low back pain for three weeks, pain down the left thigh that is worse sitting, stressed at
    work, treated high blood pressure. She ticks yes for the buttocks."""
    result = plan(founding)
    assert_contract_rules(founding, result)
    gluteal = item(result, "gluteal")
    assert gluteal["contact"] == "skin"
    assert {"piriformis", "gluteus_medius", "gluteus_minimus"} <= set(gluteal["structures"])
    assert gluteal["structures"][0] == "piriformis"
    assert any("tug of war" in r for r in gluteal["reasons"])
    assert any("not a diagnosis" in r for r in gluteal["reasons"])
    # Her own complaints come first; the inferred buttock never outweighs the worst of them.
    assert [i["region"] for i in result["plan"][:3]] == ["low_back", "posterior_thigh", "gluteal"]
    assert gluteal["minutes"] <= item(result, "low_back")["minutes"]
    assert item(result, "posterior_thigh")["side"] == "left"
    assert item(result, "low_back")["side"] == "midline"
    assert sum(i["minutes"] for i in result["plan"]) == 60
    assert "low_back_source" in [c["id"] for c in result["checks"]]
    topics = [t["topic"] for t in result["education"]]
    assert topics[:2] == ["why_gluteals", "piriformis_and_sciatic_nerve"]
    advice = load().conditions["hypertension"].advice
    assert "unwell" in advice
    assert result["cautions"] == [{"condition": "hypertension", "advice": advice}]


def test_it_leaves_out_the_gluteals_with_a_note_when_consent_is_missing(founding):
    """The same client leaves the buttock box empty: opt-in means no. The hip is worked from the
    side instead, and the stretch she can do at home is still offered."""
    del founding["consent"]["gluteal"]
    result = plan(founding)
    assert_contract_rules(founding, result)
    assert item(result, "gluteal") is None
    note = excluded(result, "gluteal")
    assert note["reason"] == "consent_declined"
    assert "piriformis (a small muscle deep in the buttock)" in note["note"]
    assert "side of the hip" in note["note"]
    assert "stretches at home" in note["note"]
    assert "Consent can be given later" in note["note"]
    hip = item(result, "lateral_hip")
    assert set(hip["structures"]) == {"gluteus_medius", "gluteus_minimus"}
    assert any("reached from the side of the hip" in r for r in hip["reasons"])
    assert result["education"][0]["topic"] == "why_gluteals"


def test_it_works_the_gluteals_over_the_drape_when_that_is_the_consent(founding):
    """She is happy for the buttock to be worked, but only through the sheet."""
    founding["consent"]["gluteal"] = "over_drape"
    result = plan(founding)
    assert_contract_rules(founding, result)
    gluteal = item(result, "gluteal")
    assert gluteal["contact"] == "over_drape"
    assert "piriformis" in gluteal["structures"]
    assert any("over the sheet" in r for r in gluteal["reasons"])
    assert all(i["contact"] == "skin" for i in result["plan"] if i["region"] != "gluteal")


def test_it_says_the_client_declined_when_gluteal_consent_is_an_explicit_no(founding):
    """She ticks "no" for the buttock, rather than leaving it blank."""
    founding["consent"]["gluteal"] = "declined"
    result = plan(founding)
    assert item(result, "gluteal") is None
    assert excluded(result, "gluteal")["note"].startswith("The client has not consented")


# Red flags: one referral per flag, emergency beats clearance, calm messages.


@pytest.mark.parametrize(
    "flag",
    [
        "saddle_numbness",
        "bladder_bowel_change",
        "leg_weakness_progressive",
        "calf_swelling_redness",
        "chest_pain_breathless",
    ],
)
def test_it_refers_an_emergency_flag_today_with_an_empty_plan(make_plan, flag):
    """A client with low back pain answers yes to one of the emergency questions."""
    intake = {
        "session_minutes": 60,
        "screening": {flag: True},
        "complaints": [{"region": "low_back", "pain": 7}],
    }
    result = plan(intake)
    assert_contract_rules(intake, result)
    assert result["decision"] == "refer_emergency"
    assert result["plan"] == [] and result["self_care"] == [] and result["education"] == []
    [referral] = result["referrals"]
    assert referral["flag"] == flag and referral["urgency"] == "emergency"
    assert "today" in referral["message"] or "now" in referral["message"]
    assert "glad to see you" in referral["message"]
    assert "!" not in referral["message"]


@pytest.mark.parametrize("flag", ["fever", "unexplained_weight_loss", "recent_trauma"])
def test_it_asks_for_medical_clearance_first_for_a_clearance_flag(flag):
    """A client with a stiff neck answers yes to one of the clearance questions."""
    intake = {"session_minutes": 45, "screening": {flag: True}, "complaints": [{"region": "neck", "pain": 4}]}
    result = plan(intake)
    assert_contract_rules(intake, result)
    assert result["decision"] == "medical_clearance"
    assert result["plan"] == []
    assert result["referrals"][0]["flag"] == flag
    assert result["referrals"][0]["urgency"] == "clearance"


def test_it_lets_an_emergency_flag_win_over_a_clearance_flag():
    """Feverish, and new trouble with the bladder: the emergency decides, both are referred."""
    intake = {"session_minutes": 60, "screening": {"fever": True, "bladder_bowel_change": True}}
    result = plan(intake)
    assert result["decision"] == "refer_emergency"
    assert [(r["flag"], r["urgency"]) for r in result["referrals"]] == [
        ("bladder_bowel_change", "emergency"),
        ("fever", "clearance"),
    ]


@pytest.mark.parametrize("region", BACK_REGIONS)
def test_it_asks_for_clearance_for_past_cancer_with_a_back_complaint(region):
    """Treated for breast cancer years ago, now a new ache in the back."""
    intake = {
        "session_minutes": 60,
        "screening": {"cancer_history": True},
        "complaints": [{"region": region, "pain": 3}],
    }
    result = plan(intake)
    assert result["decision"] == "medical_clearance"
    assert result["referrals"][0]["flag"] == "cancer_history"
    assert all(c["condition"] != "cancer_history" for c in result["cautions"])


def test_it_asks_for_clearance_for_past_cancer_with_night_pain_anywhere():
    """Past cancer, and a knee that aches at night."""
    intake = {
        "session_minutes": 60,
        "screening": {"cancer_history": True},
        "complaints": [{"region": "knee", "side": "right", "pain": 4, "symptoms": ["night_pain"]}],
    }
    assert plan(intake)["decision"] == "medical_clearance"


def test_it_only_cautions_for_past_cancer_without_back_or_night_pain():
    """Past cancer, here for tight shoulders from desk work: a caution, not a referral."""
    intake = {
        "session_minutes": 60,
        "screening": {"cancer_history": True},
        "complaints": [{"region": "shoulder", "side": "right", "pain": 3}],
    }
    result = plan(intake)
    assert_contract_rules(intake, result)
    assert result["decision"] == "proceed"
    assert result["referrals"] == []
    [caution] = result["cautions"]
    assert caution["condition"] == "cancer_history"
    assert "night pain" in caution["advice"]


# Conditions: cautions and the pressure cap.


@pytest.mark.parametrize("condition", ["anticoagulants", "bleeding_disorder", "osteoporosis"])
def test_it_caps_pressure_at_light_for_fragile_clients(condition):
    """A client who likes firm pressure, on blood thinners / with a bleeding disorder /
    with osteoporosis."""
    intake = {
        "session_minutes": 60,
        "pressure": "firm",
        "conditions": [condition],
        "complaints": [{"region": "upper_back", "pain": 5}],
    }
    result = plan(intake)
    assert result["pressure"] == "light"
    assert all(i["pressure"] == "light" for i in result["plan"])
    assert [c["condition"] for c in result["cautions"]] == [condition]


def test_it_caps_pressure_at_medium_for_reduced_feeling_and_skips_heat():
    """Diabetic neuropathy in the feet, low back pain, asks for firm: medium at most, and no heat
    pack suggested for skin that may not feel it."""
    intake = {
        "session_minutes": 60,
        "pressure": "firm",
        "conditions": ["diabetes_neuropathy"],
        "complaints": [{"region": "low_back", "pain": 5}],
    }
    result = plan(intake)
    assert result["pressure"] == "medium"
    assert "warmth_low_back" not in [s["id"] for s in result["self_care"]]
    assert plan({**intake, "pressure": "light"})["pressure"] == "light"


def test_it_leaves_the_belly_out_in_pregnancy_even_with_consent():
    """Pregnant, low back pain, happy for the belly to be worked: the caution wins."""
    intake = {
        "session_minutes": 60,
        "conditions": ["pregnancy"],
        "consent": {"abdomen": "granted"},
        "complaints": [{"region": "low_back", "pain": 6}],
    }
    result = plan(intake)
    assert_contract_rules(intake, result)
    assert item(result, "abdomen") is None
    entry = excluded(result, "abdomen")
    assert entry["reason"] == "caution"
    assert "midwife or doctor" in entry["note"]
    assert "midwife or doctor" in result["cautions"][0]["advice"]


def test_it_works_the_belly_for_low_back_pain_when_the_client_consents():
    """Not pregnant, consents to the belly over the drape: iliopsoas is worked there."""
    intake = {
        "session_minutes": 60,
        "consent": {"abdomen": "over_drape"},
        "complaints": [{"region": "low_back", "pain": 6}],
    }
    result = plan(intake)
    belly = item(result, "abdomen")
    assert belly["structures"] == ["iliopsoas"] and belly["contact"] == "over_drape"


@pytest.mark.parametrize("condition", ["recent_surgery", "skin_condition"])
def test_it_cautions_to_avoid_the_affected_area(condition):
    """Knee surgery six weeks ago / eczema patches: the therapist must ask where and avoid it."""
    intake = {
        "session_minutes": 60,
        "conditions": [condition],
        "complaints": [{"region": "low_back", "pain": 4}],
    }
    result = plan(intake)
    [caution] = result["cautions"]
    assert caution["condition"] == condition
    assert "ask where" in caution["advice"].lower()
    assert "avoid" in caution["advice"] or "do not work" in caution["advice"]
    assert result["pressure"] == "medium"


@pytest.mark.parametrize("condition", ["dvt_history", "varicose_veins"])
def test_it_keeps_leg_work_light_after_a_clot_or_with_varicose_veins(condition):
    """A blood clot in the leg years ago / varicose veins; tight hamstrings and a sore back."""
    intake = {
        "session_minutes": 60,
        "pressure": "firm",
        "conditions": [condition],
        "complaints": [{"region": "posterior_thigh", "pain": 5}, {"region": "upper_back", "pain": 5}],
    }
    result = plan(intake)
    assert result["pressure"] == "firm"
    assert item(result, "posterior_thigh")["pressure"] == "light"
    assert any("Light pressure only on the legs" in r for r in item(result, "posterior_thigh")["reasons"])
    assert item(result, "upper_back")["pressure"] == "firm"
    assert "legs" in result["cautions"][0]["advice"]


def test_it_gives_blood_pressure_advice_without_changing_pressure():
    """Treated high blood pressure, likes medium pressure."""
    result = plan({"session_minutes": 30, "conditions": ["hypertension"]})
    assert result["pressure"] == "medium"
    assert result["cautions"][0]["condition"] == "hypertension"
    assert "unwell" in result["cautions"][0]["advice"]


def test_it_lists_one_caution_per_condition_in_a_fixed_order():
    """Several conditions at once, listed in any order by the client."""
    intake = {"session_minutes": 60, "conditions": ["hypertension", "anticoagulants", "osteoporosis"]}
    result = plan(intake)
    assert [c["condition"] for c in result["cautions"]] == ["anticoagulants", "osteoporosis", "hypertension"]


# Stress, relations and sides.


def test_it_works_the_jaw_and_shoulders_for_a_stressed_client_without_complaints():
    """A teacher at the end of term: no pain to report, stress 9 out of 10."""
    intake = {"session_minutes": 60, "stress": 9}
    result = plan(intake)
    assert_contract_rules(intake, result)
    assert set(item(result, "jaw")["structures"]) == {"masseter", "temporalis"}
    assert set(item(result, "neck")["structures"]) == {"upper_trapezius", "levator_scapulae"}
    assert item(result, "shoulder")["structures"] == ["upper_trapezius"]
    topics = {t["topic"]: t for t in result["education"]}
    assert "not supported" in topics["massage_and_cortisol"]["text"]
    assert "no evidence that stress tightens the buttock" in topics["stress_and_muscles"]["text"]
    assert "gluteal" not in [i["region"] for i in result["plan"]]


def test_it_does_not_add_stress_work_below_the_threshold():
    """Mildly stressed (3 out of 10), neck ache."""
    result = plan({"session_minutes": 30, "stress": 3, "complaints": [{"region": "neck", "pain": 4}]})
    assert item(result, "jaw") is None
    assert "massage_and_cortisol" not in [t["topic"] for t in result["education"]]


def test_it_plans_general_relaxation_on_the_upper_body_when_there_is_no_complaint():
    """A gift voucher: no complaints, a 15-minute taster."""
    intake = {"session_minutes": 15}
    result = plan(intake)
    assert_contract_rules(intake, result)
    assert [i["region"] for i in result["plan"]] == ["upper_back", "neck", "shoulder"]
    assert [i["minutes"] for i in result["plan"]] == [5, 5, 5]


def test_it_combines_left_and_right_into_both_sides():
    """Both calves ache after a marathon: the buttock is planned on both sides."""
    intake = {
        "session_minutes": 60,
        "consent": {"gluteal": "granted"},
        "complaints": [
            {"region": "calf", "side": "left", "pain": 5},
            {"region": "calf", "side": "right", "pain": 4},
        ],
    }
    result = plan(intake)
    assert item(result, "calf")["side"] == "both"
    assert item(result, "gluteal")["side"] == "both"
    assert item(result, "gluteal")["structures"] == ["gluteus_minimus"]


def test_it_keeps_the_side_of_a_one_sided_complaint():
    """Right-sided sciatica-like pain, worse sitting, consent for the buttock."""
    intake = {
        "session_minutes": 45,
        "consent": {"gluteal": "granted"},
        "complaints": [
            {
                "region": "posterior_thigh",
                "side": "right",
                "pain": 6,
                "symptoms": ["tingling", "worse_sitting"],
            }
        ],
    }
    result = plan(intake)
    assert item(result, "gluteal")["side"] == "right"
    assert item(result, "posterior_thigh")["side"] == "right"
    assert item(result, "gluteal")["structures"][0] == "piriformis"


def test_it_ignores_a_side_given_for_a_midline_region():
    """The form sends a side for the neck by mistake."""
    result = plan({"session_minutes": 30, "complaints": [{"region": "neck", "side": "left", "pain": 5}]})
    assert item(result, "neck")["side"] == "midline"


def test_it_looks_to_the_low_back_for_sitting_aggravated_buttock_pain():
    """Buttock pain worse sitting at a desk, consent given."""
    intake = {
        "session_minutes": 60,
        "consent": {"gluteal": "granted"},
        "complaints": [{"region": "gluteal", "side": "left", "pain": 5, "symptoms": ["worse_sitting"]}],
    }
    result = plan(intake)
    assert item(result, "gluteal")["structures"][0] == "piriformis"
    assert set(item(result, "low_back")["structures"]) == {"quadratus_lumborum", "erector_spinae"}


def test_it_looks_to_the_hamstrings_for_pain_behind_the_knee():
    """A cyclist with an ache behind the left knee."""
    result = plan({"session_minutes": 30, "complaints": [{"region": "knee", "side": "left", "pain": 4}]})
    assert item(result, "posterior_thigh")["structures"] == ["hamstrings"]
    assert item(result, "posterior_thigh")["side"] == "left"


def test_it_works_the_jaw_for_face_pain_with_clenching():
    """Wakes with an aching face; her partner hears her clench."""
    result = plan(
        {"session_minutes": 30, "complaints": [{"region": "face", "pain": 4, "symptoms": ["clenching"]}]}
    )
    assert set(item(result, "jaw")["structures"]) == {"masseter", "temporalis"}


# Consent, avoidance and time.


def test_it_honours_avoid_over_granted_consent():
    """Consented to the buttock last time, but today asks not to be touched there."""
    intake = {
        "session_minutes": 60,
        "consent": {"gluteal": "granted"},
        "avoid": ["gluteal"],
        "complaints": [{"region": "low_back", "pain": 6}],
    }
    result = plan(intake)
    assert item(result, "gluteal") is None
    assert excluded(result, "gluteal")["reason"] == "client_avoid"


def test_it_has_nothing_to_plan_only_when_every_region_is_avoided():
    """A client who wants to talk through self-care only, and asks that nothing be touched."""
    everything = [r["id"] for r in regions()]
    intake = {"session_minutes": 30, "avoid": everything, "complaints": [{"region": "neck", "pain": 3}]}
    result = plan(intake)
    assert result["decision"] == "nothing_to_plan"
    assert result["plan"] == []
    assert excluded(result, "neck")["reason"] == "client_avoid"
    assert result["self_care"]


def test_it_falls_back_to_any_region_allowed_when_the_relevant_ones_are_not():
    """Only the feet may be touched, and the complaint is the neck."""
    everything = [r["id"] for r in regions()]
    intake = {
        "session_minutes": 30,
        "avoid": [r for r in everything if r != "foot"],
        "complaints": [{"region": "neck", "pain": 3}],
    }
    result = plan(intake)
    assert [(i["region"], i["minutes"]) for i in result["plan"]] == [("foot", 30)]


def test_it_drops_the_lowest_scoring_work_when_time_is_short():
    """Five complaints in a 15-minute chair massage: only three items fit."""
    intake = {
        "session_minutes": 15,
        "complaints": [
            {"region": "neck", "pain": 7},
            {"region": "upper_back", "pain": 6},
            {"region": "forearm", "side": "right", "pain": 2},
            {"region": "hand", "pain": 1},
            {"region": "mid_back", "pain": 5},
        ],
    }
    result = plan(intake)
    assert_contract_rules(intake, result)
    assert [i["region"] for i in result["plan"]] == ["neck", "upper_back", "mid_back"]


def test_it_does_not_offer_the_side_of_the_hip_when_that_is_avoided_too(founding):
    """No consent for the buttock, and the client also asks that the hips not be touched."""
    del founding["consent"]["gluteal"]
    founding["avoid"] = ["foot", "lateral_hip"]
    result = plan(founding)
    assert item(result, "lateral_hip") is None
    note = excluded(result, "gluteal")["note"]
    assert "Work the low back and the side of the hip" not in note
    assert "Work the regions around it instead" in note
    assert "Figure-four stretch" in note
    assert "Consent can be given later" in note
