"""The command line: JSON and text plans, stdin, byte-identical output, knowledge check."""

import json
import subprocess
import sys
from pathlib import Path

from knowledge_support import FOUNDING_INTAKE, run_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "founding-clinic-intake.json"


def test_it_prints_the_plan_as_json_with_the_contract_key_order():
    status, out, err = run_cli(["plan", "-"], json.dumps(FOUNDING_INTAKE))
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert list(result) == [
        "version",
        "decision",
        "referrals",
        "cautions",
        "pressure",
        "plan",
        "not_reached",
        "unallocated_minutes",
        "unallocated_note",
        "excluded",
        "checks",
        "positioning",
        "product_warnings",
        "self_care",
        "education",
    ]
    assert out == json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def test_it_gives_byte_identical_output_for_the_same_intake(tmp_path):
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(FOUNDING_INTAKE))
    first = run_cli(["plan", str(path)])
    reordered = dict(reversed(list(FOUNDING_INTAKE.items())))
    assert run_cli(["plan", "-"], json.dumps(reordered)) == first


def test_it_prints_a_readable_text_plan_for_the_therapist():
    status, out, err = run_cli(["plan", "--format", "text", str(EXAMPLE)])
    assert (status, err) == (0, "")
    assert out.startswith("Decision: proceed with the session\nPressure: medium")
    for heading in (
        "Plan (60 minutes)",
        "Before you start",
        "Excluded",
        "Cautions",
        "Self-care to suggest",
        "To explain to the client",
    ):
        assert f"\n{heading}\n" in out
    assert "1. Low back: " in out and "3. Buttock (gluteal region), both sides: " in out
    assert "Belly (abdomen), consent declined: " in out
    assert "piriformis (a small muscle deep in the buttock)" in out


def test_it_prints_referrals_in_the_text_plan():
    intake = {"session_minutes": 60, "screening": {"chest_pain_breathless": True}}
    status, out, _ = run_cli(["plan", "--format", "text", "-"], json.dumps(intake))
    assert status == 0
    assert "Decision: do not treat: refer today (emergency)" in out
    assert "chest_pain_breathless (emergency)" in out
    assert "Plan (" not in out


def test_it_checks_the_knowledge_base_and_prints_counts():
    status, out, err = run_cli(["knowledge", "check"])
    assert (status, err) == (0, "")
    assert out.startswith("knowledge ok\n")
    assert "  muscles: 13\n" in out and "  screening flags: 9\n" in out
    assert "  conditions: 16\n" in out and "  regions: 24\n" in out
    assert "  derived triggers: 14\n" in out and "  medications: 6\n" in out


def test_it_runs_as_a_module_without_any_configuration():
    # Our own interpreter and fixed arguments: nothing untrusted reaches the command line.
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bodymap.knowledge", "plan", str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["decision"] == "proceed"


def test_it_never_imports_django():
    code = (
        "import sys, json\n"
        "import bodymap.knowledge as k\n"
        "from bodymap.knowledge.cli import main\n"
        f"k.plan(json.loads({json.dumps(json.dumps(FOUNDING_INTAKE))}))\n"
        "k.consent_explanations([{'region': 'low_back'}])\n"
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'\n"
    )
    completed = subprocess.run(  # noqa: S603 - our own interpreter running our own code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert completed.returncode == 0, completed.stderr
