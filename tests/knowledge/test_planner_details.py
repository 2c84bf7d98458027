"""Finer rules of the plan that the vignettes leave open: what stands in when nothing relevant
may be worked, how work moves from the buttock to the side of the hip, and which sides a
pressure limit reaches."""

from knowledge_support import assert_v2_rules, excluded, item

from bodymap.knowledge import load, plan

NOTHING_RELEVANT = (
    "Nothing relevant to this client may be worked today, so this is general relaxation work on a "
    "region the client allows."
)
MOVED_TO_THE_HIP = (
    "The buttock (gluteal region) may not be worked, so gluteus medius (a muscle on the upper, "
    "outer buttock) and gluteus minimus (the smallest buttock muscle, on the side of the hip) are "
    "reached from the side of the hip instead."
)


def planned(**fields):
    intake = {"version": 2, "session_minutes": 60, **fields}
    result = plan(intake)
    assert_v2_rules(intake, result)
    return result


def regions(result):
    return [i["region"] for i in result["plan"]]


# When nothing relevant may be worked.


def test_it_offers_every_relaxation_region_and_says_why_when_the_complaint_may_not_be_touched():
    """A sore left foot, but the client asks that the feet not be touched: nothing relates to
    the foot, so the session is relaxation work on the regions the data names for it, each
    with its muscles, then the first other region allowed."""
    kb = load()
    result = planned(complaints=[{"region": "foot", "side": "left", "pain": 4}], avoid=["foot"])
    assert regions(result) == [*kb.settings.relaxation_regions, "face"]
    for entry in result["plan"]:
        assert entry["reasons"] == [NOTHING_RELEVANT]
        assert entry["structures"] == list(kb.regions[entry["region"]].muscles)
    assert item(result, "shoulder")["side"] == "both"


def test_it_offers_a_consented_sensitive_region_when_it_is_the_only_one_allowed():
    """Only the buttock may be touched (consent given, everything else avoided): it is worked
    for its capped quarter of the session, not left out like time-filling work would be."""
    everything = list(load().regions)
    result = planned(
        session_minutes=30,
        consent={"gluteal": "granted"},
        avoid=[r for r in everything if r != "gluteal"],
        complaints=[{"region": "neck", "pain": 3}],
    )
    assert [(i["region"], i["side"], i["minutes"]) for i in result["plan"]] == [("gluteal", "both", 7)]
    assert item(result, "gluteal")["reasons"][0] == NOTHING_RELEVANT
    assert result["unallocated_minutes"] == 23


# Work moved from the buttock to the side of the hip.


def test_it_reaches_the_buttock_from_the_side_of_the_hip_when_a_buttock_complaint_has_no_consent():
    """Left buttock pain, no consent for the buttock: the gluteus medius and minimus are
    reached from the left side of the hip; the stretches for what stays out of reach (the
    piriformis and gluteus maximus) come first."""
    result = planned(complaints=[{"region": "gluteal", "side": "left", "pain": 5}])
    hip = item(result, "lateral_hip")
    assert (hip["side"], hip["minutes"]) == ("left", 24)
    assert hip["structures"] == ["gluteus_medius", "gluteus_minimus"]
    assert hip["reasons"] == [MOVED_TO_THE_HIP]
    assert [c["id"] for c in result["self_care"]] == [
        "figure_four_stretch",
        "cross_over_hip_stretch",
        "knee_to_chest_stretch",
    ]


def test_it_says_is_for_one_muscle_moved_to_the_side_of_the_hip():
    """Left calf pain points to the gluteus minimus; without consent for the buttock, that one
    muscle is reached from the side of the hip."""
    result = planned(complaints=[{"region": "calf", "side": "left", "pain": 4}])
    assert item(result, "lateral_hip")["reasons"] == [
        "The buttock (gluteal region) may not be worked, so gluteus minimus (the smallest buttock "
        "muscle, on the side of the hip) is reached from the side of the hip instead."
    ]


def test_it_moves_a_buttock_complaint_with_its_related_work_to_the_side_of_the_hip():
    """Buttock and low back pain, no consent for the buttock: the low back's pull on the
    buttock muscles and the complaint's own muscles go to the hip together, once each."""
    result = planned(
        complaints=[
            {"region": "gluteal", "side": "left", "pain": 5},
            {"region": "low_back", "pain": 4},
        ]
    )
    assert regions(result) == ["low_back", "lateral_hip", "posterior_thigh"]
    assert item(result, "lateral_hip")["structures"] == ["gluteus_medius", "gluteus_minimus"]


def test_it_works_both_sides_of_the_hip_when_the_moved_work_and_the_hips_own_differ_in_side():
    """Left buttock pain (no consent) moves to the left hip; right thigh pain sends the
    therapist to the right hip's tensor fasciae latae: one item, both sides, both reasons."""
    result = planned(
        complaints=[
            {"region": "gluteal", "side": "left", "pain": 5},
            {"region": "anterior_thigh", "side": "right", "pain": 4},
        ]
    )
    hip = item(result, "lateral_hip")
    assert hip["side"] == "both"
    assert MOVED_TO_THE_HIP in hip["reasons"]
    assert any("tensor fasciae latae" in r for r in hip["reasons"])


def test_it_works_both_sides_of_the_hip_when_either_side_calls_for_it():
    """Left buttock pain (no consent) and pain in the front of both thighs: the hip is worked
    on both sides, not only on the side the buttock work came from."""
    result = planned(
        complaints=[
            {"region": "gluteal", "side": "left", "pain": 5},
            {"region": "anterior_thigh", "side": "left", "pain": 4},
            {"region": "anterior_thigh", "side": "right", "pain": 4},
        ]
    )
    assert item(result, "lateral_hip")["side"] == "both"


# What the note on a region left out says.


def test_it_says_no_consent_was_given_when_a_sensitive_region_was_not_asked_about():
    """Buttock pain, and the form has no answer for the buttock: that is not a refusal."""
    result = planned(complaints=[{"region": "gluteal", "side": "left", "pain": 5}])
    note = excluded(result, "gluteal")["note"]
    assert note.startswith(
        "No consent was given for the buttock (gluteal region); sensitive regions are worked only "
        "with consent. This leaves out gluteus maximus (the large muscle of the buttock) and "
        "piriformis (a small muscle deep in the buttock). Some of this work is moved to the side "
        "of the hip."
    )


def test_it_tells_why_a_minors_buttock_is_left_out_and_what_stays_out_of_reach():
    """A 14-year-old says yes to the buttock, with no guardian in the room: the note ends with
    what the region's data offers instead."""
    result = planned(age=14, consent={"gluteal": "granted"}, complaints=[{"region": "gluteal", "pain": 5}])
    entry = excluded(result, "gluteal")
    assert entry["reason"] == "minor"
    assert entry["note"].startswith(
        "The client is under 16: the buttock (gluteal region) is worked only if a parent or guardian "
        "agrees and is in the room. This leaves out gluteus maximus (the large muscle of the "
        "buttock) and piriformis (a small muscle deep in the buttock)."
    )
    assert entry["note"].endswith(" " + load().regions["gluteal"].instead)


def test_it_lists_only_the_related_muscles_left_out_when_the_region_was_not_a_complaint():
    """Left calf pain points to the gluteus minimus, which moves to the side of the hip: the
    other buttock muscles were never part of this plan, so nothing is said to be left out."""
    result = planned(complaints=[{"region": "calf", "side": "left", "pain": 4}])
    note = excluded(result, "gluteal")["note"]
    assert "This leaves out" not in note
    assert "Some of this work is moved to the side of the hip." in note


def test_it_lists_the_muscles_left_out_most_important_first():
    """Buttock pain 5 (no consent) and low back pain 10: the piriformis, from the buttock
    complaint itself, outranks the gluteus maximus, which the low back only tugs on."""
    result = planned(
        complaints=[
            {"region": "gluteal", "side": "left", "pain": 5},
            {"region": "low_back", "pain": 10},
        ]
    )
    assert (
        "This leaves out piriformis (a small muscle deep in the buttock) and gluteus maximus (the "
        "large muscle of the buttock)." in excluded(result, "gluteal")["note"]
    )


def test_it_lists_muscles_left_out_with_equal_weight_in_the_regions_own_order():
    """Radiating pain behind the thigh (pain 0) and low back pain 10 weigh the piriformis and
    the gluteus maximus the same: the region's order (the gluteus maximus first) decides."""
    result = planned(
        complaints=[
            {"region": "posterior_thigh", "side": "left", "pain": 0, "symptoms": ["radiating"]},
            {"region": "low_back", "pain": 10},
        ]
    )
    assert (
        "This leaves out gluteus maximus (the large muscle of the buttock) and piriformis (a small "
        "muscle deep in the buttock)." in excluded(result, "gluteal")["note"]
    )


def test_it_does_not_claim_work_was_moved_when_the_side_of_the_hip_is_avoided_too():
    result = planned(avoid=["lateral_hip"], complaints=[{"region": "calf", "side": "left", "pain": 4}])
    note = excluded(result, "gluteal")["note"]
    assert "moved to the side of the hip" not in note
    assert "This leaves out gluteus minimus" in note


def test_it_gives_a_cautions_own_note_without_suggesting_other_work():
    """A knee operated on three weeks ago: the note is the surgery rule's, and nothing else."""
    result = planned(
        surgeries=[{"region": "knee", "side": "left", "weeks_ago": 3}],
        complaints=[{"region": "knee", "side": "left", "pain": 3}],
    )
    assert excluded(result, "knee") == {
        "region": "knee",
        "reason": "caution",
        "note": load().rules.surgery_excluded_note,
    }


def test_it_adds_what_a_caution_leaves_out_and_nothing_more():
    """Ten weeks pregnant, low back pain, yes to the belly: the belly is left out with the
    pregnancy note and the muscle it leaves out."""
    result = planned(
        pregnancy={"weeks": 10, "complications": False},
        consent={"abdomen": "granted"},
        complaints=[{"region": "low_back", "pain": 3}],
    )
    assert excluded(result, "abdomen")["note"] == (
        load().conditions["pregnancy"].excluded_note
        + " This leaves out iliopsoas (the deep hip flexor, inside the belly and pelvis)."
    )


def test_it_suggests_home_stretches_for_the_muscles_left_out_that_the_client_may_do():
    """Neck pain, but the neck may not be touched: the note suggests the two neck stretches;
    for a client who gets dizzy moving the neck, only the shoulder rolls."""
    result = planned(avoid=["neck"], complaints=[{"region": "neck", "pain": 4}])
    assert excluded(result, "neck")["note"].endswith(
        "Work the regions around it instead, and suggest at home: Ear-to-shoulder stretch (side "
        "of the neck); Nose-to-armpit stretch (back of the neck)."
    )
    result = planned(
        avoid=["neck"], conditions=["dizziness_neck_movement"], complaints=[{"region": "neck", "pain": 4}]
    )
    assert excluded(result, "neck")["note"].endswith(
        "Work the regions around it instead, and suggest at home: Shoulder rolls."
    )


def test_it_says_consent_can_be_given_later_when_the_client_declined():
    result = planned(consent={"neck": "declined"}, complaints=[{"region": "neck", "pain": 4}])
    assert excluded(result, "neck")["note"].endswith(
        "Nose-to-armpit stretch (back of the neck). Consent can be given later, at any visit."
    )


def test_it_lists_every_muscle_left_out_in_one_sentence():
    """No consent for the buttock and the side of the hip avoided: all four muscles stay out."""
    result = planned(avoid=["lateral_hip"], complaints=[{"region": "gluteal", "side": "left", "pain": 4}])
    assert (
        "This leaves out gluteus maximus (the large muscle of the buttock), gluteus medius (a "
        "muscle on the upper, outer buttock), gluteus minimus (the smallest buttock muscle, on the "
        "side of the hip) and piriformis (a small muscle deep in the buttock)."
        in excluded(result, "gluteal")["note"]
    )


def test_it_ends_the_note_plainly_when_no_home_stretch_fits():
    result = planned(complaints=[{"region": "foot", "side": "left", "pain": 4}], avoid=["foot"])
    assert excluded(result, "foot")["note"] == (
        "The client asked that the foot not be touched. Work the regions around it instead."
    )


def test_it_names_the_problem_on_the_complaints_own_side_when_both_sides_are_closed():
    """Left knee pain: the right knee was operated on three weeks ago and the left has a rash.
    The note is about the rash, the problem on the side that hurts."""
    result = planned(
        surgeries=[{"region": "knee", "side": "right", "weeks_ago": 3}],
        skin=[{"region": "knee", "side": "left", "kind": "rash"}],
        complaints=[{"region": "knee", "side": "left", "pain": 3}],
    )
    assert excluded(result, "knee")["note"] == load().rules.skin_excluded_note


def test_it_gives_the_reasons_for_the_work_before_saying_only_one_side_is_open():
    """Low back pain 0 sends the therapist to the buttock, where a rash closes the left side:
    the one-side note follows the reasons for the work, even the weakest."""
    result = planned(
        consent={"gluteal": "granted"},
        skin=[{"region": "gluteal", "side": "left", "kind": "rash"}],
        complaints=[{"region": "low_back", "pain": 0}],
    )
    gluteal = item(result, "gluteal")
    assert gluteal["side"] == "right"
    assert [r.split(":")[0] for r in gluteal["reasons"][-2:]] == [
        "Only the right side",
        "Sensitive region",
    ]
    assert "tug of war" in gluteal["reasons"][-3]


def test_it_checks_the_low_back_for_radiating_buttock_pain_even_when_the_buttock_is_left_out():
    """Radiating left buttock pain with no consent, the side of the hip avoided, and low back
    pain that points to the belly (no consent either): the sciatic nerve check stays."""
    result = planned(
        avoid=["lateral_hip"],
        complaints=[
            {"region": "gluteal", "side": "left", "pain": 5, "symptoms": ["radiating"]},
            {"region": "low_back", "pain": 4},
        ],
    )
    assert excluded(result, "abdomen") is not None
    assert "low_back_source" in [c["id"] for c in result["checks"]]


def test_it_fills_a_long_session_with_different_regions():
    """Three hours for chest pain (consent given, the upper back avoided): the chest and each
    region filling the time are planned once, the chest's neighbour first; each says why it is
    there and names its muscles."""
    result = planned(
        session_minutes=180,
        consent={"chest": "granted"},
        avoid=["upper_back"],
        complaints=[{"region": "chest", "pain": 4}],
    )
    assert [(i["region"], i["minutes"]) for i in result["plan"]] == [
        ("chest", 45),
        ("shoulder", 45),
        ("neck", 45),
        ("mid_back", 45),
    ]
    kb = load()
    shoulder, neck = item(result, "shoulder"), item(result, "neck")
    assert shoulder["reasons"] == [kb.rules.adjacent_reason]
    assert neck["reasons"] == [kb.settings.fill_reason]
    assert neck["structures"] == list(kb.regions["neck"].muscles)


# The order of the muscles in an item, and what it says about contact.


def test_it_lists_a_complaints_muscles_that_nothing_points_to_last():
    """Buttock pain with low back pain 0: the low back points to three buttock muscles, most to
    the gluteus medius; the piriformis, which nothing points to, comes last."""
    result = planned(
        consent={"gluteal": "granted"},
        complaints=[
            {"region": "gluteal", "side": "left", "pain": 4},
            {"region": "low_back", "pain": 0},
        ],
    )
    assert item(result, "gluteal")["structures"] == [
        "gluteus_medius",
        "gluteus_maximus",
        "gluteus_minimus",
        "piriformis",
    ]


def test_it_lists_muscles_of_equal_weight_in_the_regions_order():
    """Radiating pain behind the thigh (pain 0) and low back pain 10 weigh three buttock
    muscles the same, whatever order the relations reached them in."""
    result = planned(
        consent={"gluteal": "granted"},
        complaints=[
            {"region": "posterior_thigh", "side": "left", "pain": 0, "symptoms": ["radiating"]},
            {"region": "low_back", "pain": 10},
        ],
    )
    assert item(result, "gluteal")["structures"] == [
        "gluteus_medius",
        "gluteus_maximus",
        "gluteus_minimus",
        "piriformis",
    ]


def test_it_says_to_work_over_the_sheet_when_that_is_the_consent():
    result = planned(
        consent={"gluteal": "over_drape"}, complaints=[{"region": "gluteal", "side": "left", "pain": 4}]
    )
    gluteal = item(result, "gluteal")
    assert gluteal["contact"] == "over_drape"
    assert "Work over the sheet: that is the consent the client gave." in gluteal["reasons"]


# Which sides a pressure limit reaches.


def test_it_keeps_the_pacemaker_limit_to_its_own_side_and_the_chest():
    """A pacemaker on the left, firm pressure asked for: the chest (a midline region) is worked
    lightly; the right shoulder keeps firm pressure."""
    result = planned(
        pressure="firm",
        consent={"chest": "granted"},
        implants=[{"kind": "pacemaker", "side": "left"}],
        complaints=[
            {"region": "shoulder", "side": "right", "pain": 4},
            {"region": "chest", "pain": 3},
        ],
    )
    assert item(result, "chest")["pressure"] == "light"
    assert item(result, "shoulder")["pressure"] == "firm"


def test_it_works_lightly_on_either_side_of_a_bruise_that_covers_both_calves():
    """A bruise given without a side covers both calves: the left calf is worked around it."""
    result = planned(
        pressure="firm",
        skin=[{"region": "calf", "kind": "bruise"}],
        complaints=[{"region": "calf", "side": "left", "pain": 4}],
    )
    assert item(result, "calf")["pressure"] == "light"


# Where a limit starts and ends, and which side of a region stays open.


def test_it_keeps_firm_pressure_on_a_sharp_pain_two_weeks_old():
    """Sharp pain is light work for under two weeks; at two weeks the client's pressure holds."""
    assert load().rules.acute_sharp_under_weeks == 2
    result = planned(
        pressure="firm",
        complaints=[{"region": "knee", "side": "left", "pain": 4, "symptoms": ["sharp"], "weeks": 2}],
    )
    assert item(result, "knee")["pressure"] == "firm"


def test_it_lifts_the_leg_limit_six_weeks_after_an_operation():
    """An operation on the shoulder six weeks ago no longer limits pressure on the legs."""
    result = planned(
        pressure="firm",
        surgeries=[{"region": "shoulder", "side": "left", "weeks_ago": 6}],
        complaints=[{"region": "anterior_thigh", "side": "left", "pain": 4}],
    )
    assert item(result, "anterior_thigh")["pressure"] == "firm"


def test_it_lifts_the_light_limit_on_an_operated_region_after_12_weeks():
    assert load().rules.surgery_light_weeks == 12
    result = planned(
        pressure="firm",
        surgeries=[{"region": "shoulder", "side": "right", "weeks_ago": 12}],
        complaints=[{"region": "shoulder", "side": "right", "pain": 4}],
    )
    assert item(result, "shoulder")["pressure"] == "firm"


def test_it_works_the_calf_lightly_late_in_pregnancy_even_when_it_only_fills_time():
    """30 weeks pregnant, knee pain, only the knee and calf allowed: the calf, next to the
    knee, is worked lightly, and says why."""
    everything = list(load().regions)
    result = planned(
        pregnancy={"weeks": 30, "complications": False},
        avoid=[r for r in everything if r not in ("knee", "calf")],
        complaints=[{"region": "knee", "side": "left", "pain": 3}],
    )
    calf = item(result, "calf")
    assert calf["pressure"] == "light"
    assert load().rules.pregnancy_light_reason in calf["reasons"]


def test_it_applies_a_pacemakers_limit_whatever_implant_is_listed_first():
    """Breast implants, which limit no pressure, come first in the list; the pacemaker on the
    left still keeps the left shoulder light."""
    result = planned(
        pressure="firm",
        implants=[{"kind": "breast_implants"}, {"kind": "pacemaker", "side": "left"}],
        complaints=[{"region": "shoulder", "side": "left", "pain": 4}],
    )
    assert item(result, "shoulder")["pressure"] == "light"


def test_it_lists_two_replaced_joints_as_one_caution():
    result = planned(
        implants=[
            {"kind": "joint_replacement", "region": "knee", "side": "right"},
            {"kind": "joint_replacement", "region": "lateral_hip", "side": "right"},
        ],
        complaints=[{"region": "neck", "pain": 3}],
    )
    cautions = [c["condition"] for c in result["cautions"]]
    assert cautions.count("implant_joint_replacement") == 1


def test_it_treats_a_pregnancy_as_late_from_week_20():
    """The rule's first week is included: at 20 weeks the late-pregnancy check applies."""
    assert load().rules.pregnancy_from_weeks == 20
    result = planned(
        pregnancy={"weeks": 20, "complications": False},
        complaints=[{"region": "shoulder", "side": "left", "pain": 3}],
    )
    assert "pregnancy_positioning" in [c["id"] for c in result["checks"]]


def test_it_works_a_region_operated_on_exactly_six_weeks_ago_lightly():
    """Six weeks is where leaving the region out ends and light work begins."""
    assert load().rules.surgery_exclude_weeks == 6
    result = planned(
        surgeries=[{"region": "knee", "side": "left", "weeks_ago": 6}],
        complaints=[{"region": "knee", "side": "left", "pain": 3}],
    )
    assert item(result, "knee")["pressure"] == "light"
    assert excluded(result, "knee") is None


def test_it_works_a_right_knee_complaint_when_only_the_left_knee_was_operated_on():
    result = planned(
        surgeries=[{"region": "knee", "side": "left", "weeks_ago": 3}],
        complaints=[{"region": "knee", "side": "right", "pain": 3}],
    )
    assert item(result, "knee")["side"] == "right"
    assert excluded(result, "knee") is None


def test_it_leaves_out_a_region_closed_on_each_side_for_a_different_reason():
    """Both knees hurt; the left was operated on three weeks ago and the right has a rash."""
    result = planned(
        surgeries=[{"region": "knee", "side": "left", "weeks_ago": 3}],
        skin=[{"region": "knee", "side": "right", "kind": "rash"}],
        complaints=[{"region": "knee", "side": "both", "pain": 3}],
    )
    assert item(result, "knee") is None
    assert excluded(result, "knee")["reason"] == "caution"


def test_it_does_not_fill_time_on_a_region_operated_on_one_side():
    """The knee is next to the right shin complaint, but the left knee was operated on three
    weeks ago: time-filling work, which covers both sides, stays off the knee."""
    result = planned(
        surgeries=[{"region": "knee", "side": "left", "weeks_ago": 3}],
        complaints=[{"region": "shin", "side": "right", "pain": 4}],
    )
    assert item(result, "knee") is None


# Minutes.


def test_it_caps_each_of_two_regions_the_client_allows():
    """Only the hands and feet may be touched: two regions, so neither takes more than 40% of
    the hour, and the rest is left unplanned."""
    everything = list(load().regions)
    result = planned(
        avoid=[r for r in everything if r not in ("hand", "foot")],
        complaints=[{"region": "hand", "side": "left", "pain": 4}],
    )
    assert [(i["region"], i["minutes"]) for i in result["plan"]] == [("hand", 24), ("foot", 24)]
    assert result["unallocated_minutes"] == 12


def test_it_plans_no_more_regions_than_whole_five_minute_blocks():
    """A 17-minute session holds three five-minute blocks: the fourth complaint waits."""
    result = planned(
        session_minutes=17,
        complaints=[
            {"region": "neck", "pain": 4},
            {"region": "hand", "side": "left", "pain": 4},
            {"region": "foot", "side": "left", "pain": 4},
            {"region": "knee", "side": "left", "pain": 4},
        ],
    )
    assert [(i["region"], i["minutes"]) for i in result["plan"]] == [("neck", 6), ("hand", 6), ("knee", 5)]
    assert [e["region"] for e in result["not_reached"]] == ["foot"]


def test_it_fits_a_sensitive_region_whose_cap_is_exactly_five_minutes():
    """A quarter of 20 minutes is five: just enough for the buttock."""
    result = planned(
        session_minutes=20,
        consent={"gluteal": "granted"},
        complaints=[{"region": "gluteal", "side": "left", "pain": 4}],
    )
    assert item(result, "gluteal")["minutes"] == 5
    assert result["not_reached"] == []


def test_it_leaves_a_minute_unplanned_rather_than_add_a_region_that_does_not_fit():
    """21 minutes with the buttock capped at five: four regions of five minutes, one minute
    left over; a fifth region would overrun the session."""
    result = planned(
        session_minutes=21,
        consent={"gluteal": "granted"},
        complaints=[{"region": "gluteal", "side": "left", "pain": 4}],
    )
    assert [i["minutes"] for i in result["plan"]] == [5, 5, 5, 5]
    assert result["unallocated_minutes"] == 1
