"""Who the client is changes the plan (docs/intake-plan-v2.md, section 3): one vignette per row,
written as the therapist would meet the client."""

from knowledge_support import assert_v2_rules, excluded, item

from bodymap.knowledge import plan


def planned(**fields):
    intake = {"version": 2, "session_minutes": 60, **fields}
    result = plan(intake)
    assert_v2_rules(intake, result)
    return result


def ids(entries, key="id"):
    return [e[key] for e in entries]


def test_it_keeps_a_twelve_year_olds_own_yes_from_opening_sensitive_regions():
    """A 12-year-old with a sore buttock from football ticks yes for buttock and inner thigh."""
    result = planned(
        age=12,
        pressure="firm",
        complaints=[{"region": "gluteal", "side": "left", "pain": 4, "weeks": 3}],
        consent={"gluteal": "granted", "inner_thigh": "granted"},
    )
    assert item(result, "gluteal") is None
    assert excluded(result, "gluteal")["reason"] == "minor"
    assert result["pressure"] == "medium"
    assert "guardian" in " ".join(c["advice"] for c in result["cautions"])
    assert "guardian" in ids(result["checks"])


def test_it_opens_a_minors_sensitive_region_when_the_guardian_agrees_and_stays():
    result = planned(
        age=14,
        complaints=[{"region": "gluteal", "side": "right", "pain": 5, "weeks": 4}],
        consent={"gluteal": "granted"},
        guardian={"name": "Ana Ruiz", "consents": True, "present": True},
    )
    assert item(result, "gluteal")["pressure"] == "medium"


def test_it_keeps_a_minors_sensitive_region_closed_when_the_guardian_is_not_in_the_room():
    result = planned(
        age=15,
        complaints=[{"region": "inner_thigh", "side": "left", "pain": 4, "weeks": 5}],
        consent={"inner_thigh": "granted"},
        guardian={"name": "Ana Ruiz", "consents": True, "present": False},
    )
    assert excluded(result, "inner_thigh")["reason"] == "minor"


def test_it_gives_a_three_year_old_light_pressure_only():
    """A parent books a relaxation massage for a toddler and ticks firm pressure."""
    result = planned(age=3, pressure="firm")
    assert result["pressure"] == "light"
    assert {i["pressure"] for i in result["plan"]} == {"light"}


def test_it_gives_an_88_year_old_medium_pressure_at_most_on_the_shin():
    result = planned(
        age=88, pressure="firm", complaints=[{"region": "shin", "side": "left", "pain": 3, "weeks": 20}]
    )
    assert item(result, "shin")["pressure"] == "medium"
    assert "age_older_adult" in ids(result["cautions"], "condition")
    assert ids(result["positioning"], "for") == ["age_older_adult"]


def test_it_works_lightly_around_a_knee_swollen_since_yesterday():
    result = planned(
        pressure="firm",
        complaints=[{"region": "knee", "side": "right", "pain": 5, "symptoms": ["swelling"], "weeks": 0}],
    )
    knee = item(result, "knee")
    assert knee["pressure"] == "light"
    assert any("around the injured tissue, not on it" in r for r in knee["reasons"])


def test_it_works_lightly_on_a_sharp_pain_under_two_weeks_old():
    result = planned(
        pressure="firm",
        complaints=[{"region": "shoulder", "side": "left", "pain": 5, "symptoms": ["sharp"], "weeks": 1}],
    )
    assert item(result, "shoulder")["pressure"] == "light"


def test_it_keeps_firm_pressure_for_an_old_sharp_pain():
    result = planned(
        pressure="firm",
        complaints=[{"region": "shoulder", "side": "left", "pain": 5, "symptoms": ["sharp"], "weeks": 10}],
    )
    assert item(result, "shoulder")["pressure"] == "firm"


def test_it_caps_pressure_where_the_client_feels_numb():
    result = planned(
        pressure="firm",
        complaints=[{"region": "forearm", "side": "right", "pain": 3, "symptoms": ["numbness"], "weeks": 8}],
    )
    forearm = item(result, "forearm")
    assert forearm["pressure"] == "medium"
    assert any("cannot judge pressure" in r for r in forearm["reasons"])


def test_it_leaves_out_a_knee_operated_on_three_weeks_ago_and_eases_the_legs():
    result = planned(
        pressure="firm",
        complaints=[
            {"region": "knee", "side": "left", "pain": 4, "weeks": 3},
            {"region": "anterior_thigh", "side": "left", "pain": 4, "weeks": 3},
        ],
        surgeries=[{"region": "knee", "side": "left", "weeks_ago": 3}],
    )
    assert excluded(result, "knee")["reason"] == "caution"
    assert item(result, "anterior_thigh")["pressure"] == "medium"
    assert "surgical_site" in ids(result["checks"])


def test_it_works_the_other_knee_when_only_one_was_operated_on():
    result = planned(
        complaints=[{"region": "knee", "side": "both", "pain": 4, "weeks": 8}],
        surgeries=[{"region": "knee", "side": "left", "weeks_ago": 2}],
    )
    assert item(result, "knee")["side"] == "right"


def test_it_works_lightly_on_a_region_operated_on_eight_weeks_ago():
    result = planned(
        pressure="firm",
        complaints=[{"region": "shoulder", "side": "right", "pain": 4, "weeks": 10}],
        surgeries=[{"region": "shoulder", "side": "right", "weeks_ago": 8}],
    )
    assert item(result, "shoulder")["pressure"] == "light"


def test_it_leaves_out_skin_with_a_rash_and_works_around_a_bruise():
    result = planned(
        complaints=[
            {"region": "calf", "side": "left", "pain": 3, "weeks": 9},
            {"region": "shin", "side": "left", "pain": 3, "weeks": 9},
        ],
        skin=[
            {"region": "calf", "side": "left", "kind": "rash"},
            {"region": "shin", "side": "left", "kind": "bruise"},
        ],
    )
    assert excluded(result, "calf")["reason"] == "caution"
    shin = item(result, "shin")
    assert shin["pressure"] == "light"
    assert any("around it, not on it" in r for r in shin["reasons"])


def test_it_keeps_deep_pressure_off_the_pacemaker_side():
    result = planned(
        pressure="firm",
        complaints=[{"region": "shoulder", "side": "both", "pain": 4, "weeks": 9}],
        implants=[{"kind": "pacemaker", "region": "chest", "side": "left"}],
    )
    assert item(result, "shoulder")["pressure"] == "light"
    assert "implant_pacemaker" in ids(result["checks"])


def test_it_caps_a_replaced_knee_and_drops_stretches_that_bend_a_replaced_hip():
    result = planned(
        pressure="firm",
        complaints=[
            {"region": "knee", "side": "right", "pain": 3, "weeks": 30},
            {"region": "gluteal", "side": "right", "pain": 5, "weeks": 30, "symptoms": ["worse_sitting"]},
        ],
        consent={"gluteal": "granted"},
        implants=[
            {"kind": "joint_replacement", "region": "knee", "side": "right"},
            {"kind": "joint_replacement", "region": "lateral_hip", "side": "right"},
        ],
    )
    assert item(result, "knee")["pressure"] == "medium"
    assert not {"figure_four_stretch", "cross_over_hip_stretch"} & set(ids(result["self_care"]))


def test_it_advises_positioning_for_breast_implants():
    result = planned(implants=[{"kind": "breast_implants"}])
    assert ids(result["positioning"], "for") == ["implant_breast_implants"]


def test_it_caps_pressure_for_long_term_steroids():
    result = planned(
        pressure="firm",
        medications=["corticosteroid_long_term"],
        complaints=[{"region": "neck", "pain": 4, "weeks": 20}],
    )
    assert result["pressure"] == "medium"


def test_it_reads_an_anticoagulant_medicine_as_the_version_1_condition():
    result = planned(
        pressure="firm",
        medications=["anticoagulant"],
        complaints=[{"region": "low_back", "pain": 5, "weeks": 10}],
    )
    assert result["pressure"] == "light"
    back = item(result, "low_back")
    # Quadratus lumborum lies deep: at light pressure it cannot be reached.
    assert back["structures"] == ["erector_spinae"]
    assert any("quadratus lumborum" in r and "cannot be reached" in r for r in back["reasons"])
    assert ids(result["cautions"], "condition") == ["anticoagulants"]


def test_it_keeps_a_woman_at_30_weeks_off_her_back_and_eases_the_legs():
    result = planned(
        pressure="firm",
        pregnancy={"weeks": 30, "complications": False},
        complaints=[
            {"region": "low_back", "pain": 5, "weeks": 6},
            {"region": "posterior_thigh", "side": "left", "pain": 3, "weeks": 6},
        ],
        consent={"abdomen": "granted", "inner_thigh": "granted"},
    )
    assert item(result, "abdomen") is None
    assert item(result, "posterior_thigh")["pressure"] == "medium"
    assert ids(result["positioning"], "for") == ["pregnancy"]
    assert "pregnancy_positioning" in ids(result["checks"])
    assert not any(
        care["id"]
        in (
            "figure_four_stretch",
            "knee_to_chest_stretch",
            "hamstring_stretch_lying",
            "cross_over_hip_stretch",
        )
        for care in result["self_care"]
    )


def test_it_keeps_an_early_pregnancy_free_of_late_pregnancy_limits():
    result = planned(
        pressure="firm",
        pregnancy={"weeks": 12, "complications": False},
        complaints=[{"region": "posterior_thigh", "side": "left", "pain": 3, "weeks": 6}],
    )
    assert item(result, "posterior_thigh")["pressure"] == "firm"
    assert result["positioning"] == []


def test_it_works_limbs_lightly_with_lymphoedema():
    result = planned(
        pressure="firm",
        conditions=["lymphoedema"],
        complaints=[
            {"region": "forearm", "side": "left", "pain": 3, "weeks": 30},
            {"region": "neck", "pain": 3, "weeks": 30},
        ],
    )
    assert item(result, "forearm")["pressure"] == "light"
    assert item(result, "neck")["pressure"] == "firm"


def test_it_keeps_the_neck_out_of_end_range_for_a_client_who_gets_dizzy():
    result = planned(
        conditions=["dizziness_neck_movement"],
        stress=8,
        complaints=[{"region": "neck", "pain": 4, "weeks": 12}],
    )
    assert any("no rotation of the neck" in r for r in item(result, "neck")["reasons"])
    assert "neck_dizziness" in ids(result["checks"])
    assert not {"ear_to_shoulder_stretch", "nose_to_armpit_stretch"} & set(ids(result["self_care"]))


def test_it_turns_allergies_into_product_warnings():
    result = planned(allergies=["nut_oils", "latex"], allergies_text="Chamomile")
    warnings = result["product_warnings"]
    assert ids(warnings, "allergy") == ["nut_oils", "latex", "other"]
    assert "nut-free lotion" in warnings[0]["warning"]


def test_it_asks_the_therapist_to_read_the_clients_own_words_about_medicines():
    result = planned(medications_text="Tablets for my thyroid")
    assert "medication_notes" in ids(result["checks"])
    assert "thyroid" not in str(result)


def test_it_suggests_no_bending_or_twisting_stretch_with_osteoporosis():
    """A 67-year-old with thin bones and a stiff low back and hip."""
    result = planned(
        age=67,
        conditions=["osteoporosis"],
        consent={"gluteal": "granted"},
        complaints=[
            {"region": "low_back", "pain": 4, "symptoms": ["stiffness"], "weeks": 30},
            {"region": "gluteal", "side": "left", "pain": 4, "weeks": 30},
        ],
    )
    chosen = set(ids(result["self_care"]))
    assert result["self_care"]
    assert not chosen & {"knee_to_chest_stretch", "cross_over_hip_stretch", "figure_four_stretch"}
    assert {i["pressure"] for i in result["plan"]} == {"light"}
