"""The plan on the therapist's chart and session page shows what version 2 of the contract adds:
per-item pressure, checks, positioning, product warnings, not reached, unallocated, nothing to plan."""

from django.template.loader import render_to_string

from bodymap import knowledge
from bodymap.chart.planning import present


def shown(intake):
    return render_to_string("chart/_plan.html", {"plan": present(knowledge.plan(intake))})


def test_it_shows_checks_pressure_positioning_and_product_warnings():
    page = shown(
        {
            "version": 2,
            "session_minutes": 60,
            "pressure": "firm",
            "pregnancy": {"weeks": 28, "complications": False},
            "allergies": ["nut_oils"],
            "complaints": [
                {"region": "knee", "side": "left", "pain": 5, "symptoms": ["swelling"], "weeks": 0}
            ],
        }
    )
    assert "Before you start" in page and 'data-check="pain_score_after"' in page
    assert "light pressure" in page
    assert "side-lying" in page
    assert "nut-free lotion" in page


def test_it_lists_complaints_not_reached_in_a_short_session():
    page = shown(
        {
            "session_minutes": 15,
            "complaints": [
                {"region": "foot", "side": "left", "pain": 9},
                {"region": "knee", "side": "left", "pain": 8},
                {"region": "hand", "side": "left", "pain": 6},
                {"region": "neck", "pain": 2},
            ],
        }
    )
    assert "Not reached this session" in page
    assert 'data-region="neck"' in page.split("Not reached this session")[1]


def test_it_shows_unallocated_minutes_with_their_note():
    avoid = [r["id"] for r in knowledge.regions() if r["id"] != "inner_thigh"]
    page = shown(
        {
            "session_minutes": 60,
            "avoid": avoid,
            "consent": {"inner_thigh": "granted"},
            "complaints": [{"region": "inner_thigh", "side": "left", "pain": 4, "weeks": 9}],
        }
    )
    assert "45 minutes left unplanned" in page and "Shorten the session" in page


def test_it_says_there_is_nothing_to_plan():
    avoid = [r["id"] for r in knowledge.regions()]
    page = shown({"session_minutes": 30, "avoid": avoid})
    assert "Nothing to plan" in page
    assert 'class="plan-item"' not in page
