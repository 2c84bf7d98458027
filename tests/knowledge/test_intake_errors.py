"""Invalid intakes: every problem is reported, each as "path: rule", with exact wording."""

import json

import pytest
from knowledge_support import run_cli

from bodymap.knowledge import IntakeError, plan, validate_intake

VALID = {"session_minutes": 60, "complaints": [{"region": "low_back", "pain": 5}]}


def errors_for(**changes):
    return validate_intake({**VALID, **changes})


@pytest.mark.parametrize("pain", [11, -1, 6.0, 6.5, True, "6", None])
def test_it_names_the_path_of_a_bad_pain_rating(pain):
    assert errors_for(complaints=[{"region": "low_back", "pain": pain}]) == [
        "complaints[0].pain: must be a whole number from 0 to 10"
    ]


def test_it_accepts_a_valid_intake_with_no_errors():
    assert validate_intake(VALID) == []


def test_it_requires_the_session_length():
    assert validate_intake({}) == ["session_minutes: required"]


@pytest.mark.parametrize("minutes", [14, 181, 60.0, False, "60"])
def test_it_keeps_the_session_length_within_the_contract(minutes):
    assert errors_for(session_minutes=minutes) == ["session_minutes: must be a whole number from 15 to 180"]


def test_it_collects_every_problem_not_just_the_first():
    intake = {
        "session_minutes": 5,
        "age": 130,
        "pressure": "deep",
        "stress": 11,
        "colour": "blue",
        "complaints": [
            {"region": "elbow", "pain": 3},
            {"region": "neck"},
            {"region": "calf", "side": "middle", "pain": 2, "symptoms": ["itch"], "weeks": -1, "extra": 1},
        ],
        "screening": {"fever": "yes", "gout": True},
        "conditions": ["pregnancy", "pregnancy", "flu"],
        "consent": {"gluteal": "yes", "elbow": "granted"},
        "avoid": "foot",
    }
    assert validate_intake(intake) == [
        "colour: unknown field",
        "session_minutes: must be a whole number from 15 to 180",
        "age: must be a whole number from 0 to 120",
        "pressure: must be one of light, medium, firm",
        "complaints[0].region: must be a region id",
        "complaints[1].pain: required",
        "complaints[2].extra: unknown field",
        "complaints[2].side: must be one of left, right, both",
        "complaints[2].symptoms[0]: must be a symptom id",
        "complaints[2].weeks: must be a number, 0 or more",
        "stress: must be a whole number from 0 to 10",
        "screening.fever: must be true or false",
        "screening.gout: unknown screening question",
        "conditions[1]: repeated",
        "conditions[2]: must be a condition id",
        "consent.elbow: unknown region",
        "consent.gluteal: must be one of granted, over_drape, declined",
        "avoid: must be a list",
    ]


def test_it_raises_intake_error_carrying_the_messages_from_plan():
    with pytest.raises(IntakeError) as caught:
        plan({"session_minutes": 60, "stress": True})
    assert caught.value.errors == ["stress: must be a whole number from 0 to 10"]


def test_it_refuses_a_repeated_complaint_for_the_same_region_and_side():
    assert errors_for(
        complaints=[
            {"region": "calf", "side": "left", "pain": 2},
            {"region": "calf", "side": "right", "pain": 2},
            {"region": "calf", "side": "left", "pain": 3},
        ]
    ) == ["complaints[2]: repeats complaints[0] (same region and side)"]


def test_it_refuses_other_versions_and_non_object_complaints():
    assert errors_for(version=3, complaints=["low_back"]) == [
        "version: must be 1 or 2",
        "complaints[0]: must be an object",
    ]


def test_it_quotes_odd_keys_so_each_problem_stays_on_one_line():
    assert validate_intake({**VALID, "bad\nkey": 1, "screening": {"a b": True}}) == [
        '["bad\\nkey"]: unknown field',
        'screening["a b"]: unknown screening question',
    ]


def test_it_reports_a_top_level_that_is_not_an_object():
    assert validate_intake([VALID]) == ["$: must be an object"]


def test_it_exits_2_with_paths_on_stderr_and_nothing_on_stdout(tmp_path):
    path = tmp_path / "intake.json"
    path.write_text(json.dumps({"session_minutes": 60, "complaints": [{"region": "low_back", "pain": 12}]}))
    status, out, err = run_cli(["plan", str(path)])
    assert (status, out) == (2, "")
    assert err == "complaints[0].pain: must be a whole number from 0 to 10\n"


def test_it_exits_2_for_a_missing_file(tmp_path):
    status, out, err = run_cli(["plan", str(tmp_path / "nope.json")])
    assert (status, out) == (2, "")
    assert err == f"{tmp_path / 'nope.json'}: cannot read: No such file or directory\n"


def test_it_exits_2_for_malformed_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"session_minutes": 60,')
    status, out, err = run_cli(["plan", str(path)])
    assert (status, out) == (2, "")
    assert err.startswith(f"{path}: not valid JSON: ") and err.count("\n") == 1


def test_it_exits_2_for_malformed_json_on_stdin():
    status, out, err = run_cli(["plan", "-"], "not json")
    assert (status, out) == (2, "")
    assert err == "stdin: not valid JSON: Expecting value at line 1 column 1\n"


def test_it_refuses_nan_which_is_not_json():
    status, out, err = run_cli(["plan", "-"], '{"session_minutes": NaN}')
    assert (status, out, err) == (2, "", "stdin: not valid JSON: NaN is not a JSON number\n")


def test_it_exits_2_when_the_top_level_is_not_an_object():
    assert run_cli(["plan", "-"], "[1, 2]") == (2, "", "$: must be an object\n")


def test_it_exits_2_for_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"note": "caf\xe9"}'.encode("latin-1"))
    assert run_cli(["plan", str(path)]) == (2, "", f"{path}: cannot read: not UTF-8 text\n")


def test_it_exits_2_for_a_bad_command_line_with_one_line():
    status, out, err = run_cli(["plan", "--format", "pdf", "x.json"])
    assert (status, out) == (2, "")
    assert err.startswith("bodymap: ") and err.count("\n") == 1


def test_it_refuses_version_2_fields_in_an_intake_that_says_version_1():
    assert errors_for(
        version=1, medications=["insulin"], complaints=[{"region": "neck", "pain": 2, "onset": "sudden"}]
    ) == ['medications: needs "version": 2', 'complaints[0].onset: needs "version": 2']


def test_it_names_every_problem_in_the_version_2_fields():
    assert errors_for(
        version=2,
        medications=["aspirin"],
        allergies=["nut_oils", "nut_oils"],
        medications_text=7,
        pregnancy={"weeks": 43},
        surgeries=[{"region": "knee"}],
        skin=[{"region": "calf", "kind": "mole"}],
        implants=[{"kind": "pacemaker", "side": "middle"}],
        guardian={"name": "", "consents": "yes", "present": True},
        goals="fun",
    ) == [
        "medications[0]: must be a medication id",
        "allergies[1]: repeated",
        "medications_text: must be text",
        "pregnancy.weeks: must be a whole number from 0 to 42",
        "pregnancy.complications: required",
        "surgeries[0].weeks_ago: required",
        "skin[0].kind: must be one of rash, wound, infection, burn, bruise, other",
        "implants[0].side: must be one of left, right, both",
        "guardian.name: must be text of 1 to 200 characters",
        "guardian.consents: must be true or false",
        "goals: must be one of relaxation, treatment, both",
    ]
