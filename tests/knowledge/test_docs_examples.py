"""The examples in the README and docs/planner.md are what the planner prints today."""

from pathlib import Path

from knowledge_support import run_cli

ROOT = Path(__file__).resolve().parents[2]


def printed(path):
    status, out, err = run_cli(["plan", "--format", "text", str(ROOT / path)])
    assert (status, err) == (0, "")
    return out


def test_it_shows_the_current_text_plan_of_the_founding_clinic_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    out = printed("docs/examples/founding-clinic-intake-v2.json")
    assert out.rstrip("\n") + "\n```" in readme
    assert "Before you start" in out


def test_it_shows_complaints_not_reached_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    out = printed("docs/examples/short-session-intake.json")
    assert "Not reached in this session" in out
    assert out.split("\nTo explain to the client")[0] in readme


def test_it_shows_the_current_text_plans_in_the_planner_guide():
    guide = (ROOT / "docs" / "planner.md").read_text(encoding="utf-8")
    assert printed("docs/examples/founding-clinic-intake.json").rstrip("\n") + "\n```" in guide
    short = printed("docs/examples/short-session-intake.json")
    assert short.split("\nTo explain to the client")[0] in guide
