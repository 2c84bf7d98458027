"""The knowledge base: valid as shipped, honest about weak evidence, and loud when broken."""

import re
import shutil

import pytest
from knowledge_support import long_sentences, run_cli

from bodymap.knowledge import (
    KnowledgeError,
    consent_explanation,
    consent_explanations,
    education_topics,
    load,
    load_from,
    regions,
    sensitive_regions,
    sources,
)
from bodymap.knowledge.loader import CONTRACT_MUSCLES, DATA_DIR


@pytest.fixture
def data_copy(tmp_path):
    """A copy of the data directory that a test may break."""
    return shutil.copytree(DATA_DIR, tmp_path / "data")


def break_file(directory, name, old, new):
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_it_loads_once_and_caches():
    assert load() is load()


def test_it_ships_the_contract_muscles_with_uberon_ids():
    kb = load()
    for muscle_id in CONTRACT_MUSCLES:
        assert re.fullmatch(r"UBERON:\d{7}", kb.muscles[muscle_id].uberon)
    assert kb.muscles["piriformis"].uberon == "UBERON:0008529"
    assert all(m.referred_secondary for m in kb.muscles.values())


def test_it_keeps_the_disagreement_on_piriformis_roots_visible():
    assert "L5–S2" in load().muscles["piriformis"].roots


def test_it_lists_the_sensitive_regions_of_the_contract():
    assert sensitive_regions() == ["chest", "abdomen", "gluteal", "inner_thigh"]
    assert len(regions()) == 24


def test_it_opens_the_education_page_with_the_gluteal_question():
    topics = education_topics()
    assert topics[0]["title"] == "Do you massage the buttocks?"
    known = set(load().sources)
    assert all(t["sources"] and set(t["sources"]) <= known for t in topics)


def test_it_keeps_both_figures_for_the_usual_course_of_the_sciatic_nerve():
    text = {t["topic"]: t["text"] for t in education_topics()}["piriformis_and_sciatic_nerve"]
    for figure in ("85.2%", "about 90%", "16.9%", "6,062", "16.2%"):
        assert figure in text
    assert "not proven accurate" in text


def test_it_states_weak_claims_as_weak():
    text = {t["topic"]: t["text"] for t in education_topics()}
    assert "This is not supported" in text["massage_and_cortisol"]
    assert "no evidence that stress tightens the buttock" in text["stress_and_muscles"]
    assert "low certainty" in text["stress_and_muscles"]
    assert "not been tested in studies" in text["why_gluteals"]
    assert "expert description" in text["why_gluteals"]
    kb = load()
    for relation in kb.relations:
        if relation.evidence in ("expert_opinion", "clinical_description"):
            assert "not tested" in relation.reason or "No study" in relation.reason, relation.id


def test_it_only_links_sources_we_are_sure_of():
    links = {s["id"]: s["link"] for s in sources() if s["link"]}
    assert links == {
        "nice_ng59": "https://www.nice.org.uk/guidance/ng59",
        "furlan2015": "https://doi.org/10.1002/14651858.CD001929.pub3",
        "nice_ng158": "https://www.nice.org.uk/guidance/ng158",
        "nice_cg150": "https://www.nice.org.uk/guidance/cg150",
    }


def test_it_writes_client_texts_in_short_sentences_with_latin_translated():
    kb = load()
    texts = [t.text for t in kb.topics] + [r.reason for r in kb.relations]
    texts += [c.instructions for c in kb.self_care] + [f.message for f in kb.flags.values()]
    texts += [t.message for t in kb.triggers]
    texts += [
        getattr(r, f)
        for r in kb.regions.values()
        for f in ("why", "draping", "instead", "if_declined", "risks")
        if getattr(r, f)
    ]
    for text in texts:
        assert long_sentences(text) == [], text
        for muscle in kb.muscles.values():
            at = text.lower().find(muscle.name.lower())
            if at >= 0:
                # Translated in brackets, or in the words that follow: "X is the ...".
                rest = text[at + len(muscle.name) :]
                assert rest.startswith((" (", " is ", " are ", ", the ")), (muscle.name, text)


def test_it_tells_clients_when_to_stop_every_stretch():
    for care in load().self_care:
        assert "Stop if it causes pain, tingling" in care.instructions


def test_it_explains_consent_per_region_with_this_clients_reasons():
    gluteal = consent_explanation("gluteal", [{"region": "low_back", "pain": 6}])
    assert gluteal["sensitive"] is True
    assert gluteal["why"] and gluteal["draping"] and gluteal["if_declined"]
    assert "tingling down your leg" in gluteal["risks"] and "stop" in gluteal["risks"]
    assert any("tug of war" in r for r in gluteal["reasons"])
    assert "cmto" in gluteal["sources"] and "travell_simons" in gluteal["sources"]
    sitting = consent_explanation("gluteal", [{"region": "posterior_thigh", "symptoms": ["worse_sitting"]}])
    assert any("worse when you sit" in r for r in sitting["reasons"])
    assert consent_explanation("gluteal")["reasons"] == []
    assert [e["region"] for e in consent_explanations()] == sensitive_regions()
    with pytest.raises(ValueError):
        consent_explanation("elbow")


def test_it_passes_knowledge_check_on_a_clean_copy(data_copy):
    status, out, _ = run_cli(["knowledge", "check", "--data", str(data_copy)])
    assert status == 0 and out.startswith("knowledge ok")


def test_it_names_file_entry_and_field_when_a_required_field_is_missing(data_copy):
    break_file(data_copy, "muscles.toml", 'uberon = "UBERON:0008529"\n', "")
    with pytest.raises(KnowledgeError) as caught:
        load_from(data_copy)
    assert str(caught.value) == "muscles.toml: muscle 'piriformis': field 'uberon': required"
    status, out, err = run_cli(["knowledge", "check", "--data", str(data_copy)])
    assert (status, out) == (1, "")
    assert err == ("knowledge error: muscles.toml: muscle 'piriformis': field 'uberon': required\n")


@pytest.mark.parametrize(
    "name, old, new, message",
    [
        (
            "relations.toml",
            'sources = ["travell_simons"]',
            'sources = ["travel_simons"]',
            "relations.toml: relation 'gluteus_medius_refers_to_low_back': field 'sources': "
            "unknown source 'travel_simons'",
        ),
        (
            "regions.toml",
            'muscles = ["hamstrings"]',
            'muscles = ["hamstring"]',
            "regions.toml: region 'posterior_thigh': field 'muscles': unknown muscle 'hamstring'",
        ),
        (
            "relations.toml",
            'evidence = "cadaver_study"',
            'evidence = "anecdote"',
            "relations.toml: relation 'piriformis_and_sciatic_nerve': field 'evidence': must be one of "
            "guideline, systematic_review, rct, cadaver_study, experimental_study, "
            "clinical_description, expert_opinion",
        ),
        (
            "relations.toml",
            'complaint_regions = ["knee"]',
            'complaint_regions = ["shin"]',
            "relations.toml: relation 'hamstrings_refer_to_knee': field 'complaint_regions': muscle "
            "'hamstrings' is not described as referring pain to 'shin' (muscles.toml)",
        ),
        (
            "sources.toml",
            'id = "tomaszewski2016"',
            'id = "smoll2010"',
            "sources.toml: source 'smoll2010': field 'id': repeated: ids must be unique",
        ),
        (
            "regions.toml",
            "sensitive = true\nmuscles = []\nwhy",
            "sensitive = false\nmuscles = []\nwhy",
            "regions.toml: region 'chest': field 'sensitive': the intake contract says true",
        ),
        (
            "screening.toml",
            'outcome = "emergency"',
            'outcome = "clearance"',
            "screening.toml: flag 'saddle_numbness': field 'outcome': the intake contract says emergency",
        ),
        (
            "conditions.toml",
            'pressure_cap = "light"',
            'pressure_cap = "firm"',
            "conditions.toml: condition 'anticoagulants': field 'pressure_cap': must be one of light, medium",
        ),
        (
            "education.toml",
            'relevant_when = ["stress"]',
            'relevant_when = ["mood"]',
            "education.toml: topic 'stress_and_muscles': field 'relevant_when': unknown tag 'mood'",
        ),
        (
            "self_care.toml",
            'Stop if it causes pain, tingling or numbness."\nsources = ["met_review',
            '"\nsources = ["met_review',
            "self_care.toml: self-care 'figure_four_stretch': field 'instructions': must tell the client "
            "when to stop ('Stop if ...')",
        ),
        (
            "muscles.toml",
            "secondary = true",
            "secondary = true\nsecondry = true",
            "muscles.toml: muscle 'gluteus_maximus': field 'referred_pain.secondry': unknown field",
        ),
        (
            "triggers.toml",
            "weeks_under = 12\n",
            'weeks_under = "soon"\n',
            "triggers.toml: trigger 'cancer_history_new_pain': field 'when[0].weeks_under': must be a "
            "number from 0 to 520",
        ),
        (
            "triggers.toml",
            'regions = ["calf"]\nsymptoms_any = ["swelling"]',
            'regions = ["calves"]\nsymptoms_any = ["swelling"]',
            "triggers.toml: trigger 'possible_clot': field 'when[0].regions': unknown region or group "
            "'calves'",
        ),
        (
            "planner.toml",
            "expert_opinion = 0.2",
            "expert_opinion = 0.35",
            "planner.toml: table 'evidence_weights': field 'expert_opinion': must be below "
            "clinical_description: weaker evidence weighs less",
        ),
        (
            "planner.toml",
            "region_share = 0.4",
            "region_share = 0.2",
            "planner.toml: table 'caps': field 'sensitive_share': must be at most region_share",
        ),
        (
            "regions.toml",
            'adjacent = ["shoulder"]\n',
            "",
            "regions.toml: region 'chest': field 'adjacent': required",
        ),
        (
            "medications.toml",
            'id = "insulin"',
            'id = "insulin_pump"',
            "medications.toml: medication 'insulin_pump': not in the intake contract",
        ),
        (
            "implants.toml",
            'pressure = "medium"',
            'pressure = "deep"',
            "implants.toml: implant 'joint_replacement': field 'pressure.pressure': must be one of "
            "light, medium",
        ),
        (
            "self_care.toml",
            "lying_on_back = true",
            'lying_on_back = "yes"',
            "self_care.toml: self-care 'figure_four_stretch': field 'lying_on_back': must be true or false",
        ),
        (
            "symptoms.toml",
            'id = "swelling"',
            'id = "swollen"',
            "symptoms.toml: symptom 'swollen': not in the intake contract",
        ),
        (
            "planner.toml",
            "stress_threshold = 6",
            "stress_threshold = 11",
            "planner.toml: table 'scoring': field 'stress_threshold': must be a whole number from 0 to 10",
        ),
        ("regions.toml", "[[region]]", "[[regio]]", "regions.toml: unknown table 'regio'"),
        ("sources.toml", "[[source]]", "[[source]", "sources.toml: not valid TOML: "),
    ],
)
def test_it_names_the_problem_in_a_broken_copy(data_copy, name, old, new, message):
    break_file(data_copy, name, old, new)
    with pytest.raises(KnowledgeError) as caught:
        load_from(data_copy)
    assert str(caught.value).startswith(message)
    if not message.endswith(": "):
        assert str(caught.value) == message


def test_it_names_a_missing_data_file(data_copy):
    (data_copy / "education.toml").unlink()
    with pytest.raises(KnowledgeError, match=r"^education\.toml: cannot read: "):
        load_from(data_copy)
