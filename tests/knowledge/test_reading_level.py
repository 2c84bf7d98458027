"""Every text that can reach a client reads at grade 8 or below (Flesch-Kincaid, textstat 0.7.3,
which needs no download at run time). Plan reasons reach the client on the consent form."""

import pytest
import textstat

from bodymap.knowledge import consent_explanation, load, plan, sensitive_regions

GRADE = 8
KB = load()


def _client_texts():
    rules = KB.rules
    yield from ((f"trigger {t.id}", t.message) for t in KB.triggers)
    yield from ((f"screening {f.id}", f.message) for f in KB.flags.values())
    yield from ((f"relation {r.id}", r.reason) for r in KB.relations)
    yield from ((f"topic {t.id}", t.text) for t in KB.topics)
    yield from ((f"self-care {c.id}", c.instructions) for c in KB.self_care)
    for name in (
        "acute_reason",
        "numbness_reason",
        "surgery_legs_reason",
        "surgery_light_reason",
        "skin_around_reason",
        "pregnancy_legs_reason",
        "pregnancy_light_reason",
        "neck_dizziness_reason",
        "adjacent_reason",
    ):
        yield f"planner.toml {name}", getattr(rules, name)
    yield "planner.toml fill_reason", KB.settings.fill_reason
    yield "planner.toml relaxation reason", KB.settings.relaxation_reason
    for region in sensitive_regions():
        explained = consent_explanation(region)
        for key in ("why", "draping", "risks", "if_declined"):
            yield f"consent {region}.{key}", explained[key]


TEXTS = list(_client_texts())


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[w for w, _ in TEXTS])
def test_it_keeps_client_texts_at_grade_8_or_below(where, text):
    assert textstat.flesch_kincaid_grade(text) <= GRADE, f"{where}: {text}"


def test_it_keeps_every_reason_in_the_founding_plan_at_grade_8_or_below(founding):
    result = plan(founding)
    for item in result["plan"]:
        for reason in item["reasons"]:
            assert textstat.flesch_kincaid_grade(reason) <= GRADE, reason
    for referral in plan(
        {
            "session_minutes": 60,
            "complaints": [{"region": "gluteal", "side": "both", "pain": 4, "symptoms": ["numbness"]}],
        }
    )["referrals"]:
        assert textstat.flesch_kincaid_grade(referral["message"]) <= GRADE


def test_it_measures_a_hard_text_above_grade_8():
    # The check can fail: a dense clinical sentence scores well above the bar.
    dense = (
        "Piriformis syndrome is a controversial neuromuscular disorder characterised by "
        "compression of the sciatic nerve, producing radicular symptomatology."
    )
    assert textstat.flesch_kincaid_grade(dense) > GRADE


def test_it_uses_one_word_for_the_sheet_in_every_client_text():
    for where, text in TEXTS:
        assert "drape" not in text.lower(), where
