import pytest
from knowledge_support import FOUNDING_INTAKE

from bodymap.knowledge import plan


@pytest.fixture
def founding():
    """A fresh copy of the founding clinic's intake, to change per test."""
    return {
        **FOUNDING_INTAKE,
        "complaints": [dict(c) for c in FOUNDING_INTAKE["complaints"]],
        "consent": dict(FOUNDING_INTAKE["consent"]),
    }


@pytest.fixture
def make_plan():
    """Plan an intake built from a few keyword fields, with a 60-minute default session."""

    def build(**fields):
        return plan({"session_minutes": 60, **fields})

    return build
