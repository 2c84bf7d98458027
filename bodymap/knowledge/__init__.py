"""Bodymap's clinical reasoning: the knowledge base and the session planner.

Plain Python, no Django: the web app, the command line and the tests all use it the same way.
It advises a trained therapist; it does not diagnose.
"""

from __future__ import annotations

from .intake import IntakeError, check_intake
from .loader import Knowledge, KnowledgeError, load, load_from
from .planner import plan
from .strict_json import parse as parse_json

__all__ = [
    "IntakeError",
    "Knowledge",
    "KnowledgeError",
    "consent_explanation",
    "consent_explanations",
    "education_topics",
    "load",
    "load_from",
    "muscles_in",
    "parse_json",
    "plan",
    "regions",
    "screening_questions",
    "sensitive_regions",
    "sources",
    "symptoms_for",
    "validate_intake",
]


def validate_intake(intake: dict, knowledge: Knowledge | None = None) -> list[str]:
    """Every problem with ``intake`` as ``"path: rule"``; an empty list when it is valid."""
    return check_intake(intake, knowledge or load())[1]


def regions(knowledge: Knowledge | None = None) -> list[dict]:
    """All regions, head to toe: id, name, sides (midline or left_right), sensitive."""
    kb = knowledge or load()
    return [
        {"id": r.id, "name": r.name, "sides": r.sides, "sensitive": r.sensitive} for r in kb.regions.values()
    ]


def sensitive_regions(knowledge: Knowledge | None = None) -> list[str]:
    """Ids of the regions that need opt-in consent, head to toe."""
    kb = knowledge or load()
    return [r.id for r in kb.regions.values() if r.sensitive]


def symptoms_for(region: str, knowledge: Knowledge | None = None) -> list[dict]:
    """The symptoms a client may tick for a complaint in ``region``: id and name."""
    kb = knowledge or load()
    return [{"id": s.id, "name": s.name} for s in kb.symptoms.values() if s.applies_to(region)]


def muscles_in(region: str, knowledge: Knowledge | None = None) -> list[str]:
    """Ids of the muscles the knowledge base places in ``region`` (where its relations work them)."""
    kb = knowledge or load()
    found = {m for r in kb.relations if region in r.regions for m in r.muscles}
    return [m for m in kb.muscles if m in found]


def screening_questions(knowledge: Knowledge | None = None) -> list[dict]:
    """The red-flag questions as the client reads them: id and question."""
    kb = knowledge or load()
    return [{"id": f.id, "question": f.question} for f in kb.flags.values()]


def education_topics(knowledge: Knowledge | None = None) -> list[dict]:
    """Every education topic in page order (the gluteal question first): topic, title, text,
    sources (ids; see ``sources()``), relevant_when."""
    kb = knowledge or load()
    return [
        {
            "topic": t.id,
            "title": t.title,
            "text": t.text,
            "sources": list(t.sources),
            "relevant_when": list(t.relevant_when),
        }
        for t in kb.topics
    ]


def sources(ids: list[str] | None = None, knowledge: Knowledge | None = None) -> list[dict]:
    """Source details for ``ids`` (all sources when None), for rendering citations."""
    kb = knowledge or load()
    chosen = kb.sources if ids is None else {i: kb.sources[i] for i in ids}
    return [
        {
            "id": s.id,
            "cited_as": s.cited_as,
            "authors": s.authors,
            "year": s.year,
            "title": s.title,
            "published_in": s.published_in,
            "link": s.link,
        }
        for s in chosen.values()
    ]


def consent_explanation(
    region: str, complaints: list[dict] | None = None, knowledge: Knowledge | None = None
) -> dict:
    """What a consent form tells the client about one region, in the second person: ``why`` it
    may help them, the ``reasons`` that apply to their complaints (contract complaint objects;
    only ``region`` and ``symptoms`` are read), how the sheet keeps them covered (``draping``),
    the ``risks``, what they get ``if_declined``, and the ``sources``. ``instead`` repeats
    ``if_declined`` for older callers.

    Raises ValueError for an unknown region id.
    """
    kb = knowledge or load()
    if region not in kb.regions:
        raise ValueError(f"unknown region {region!r}")
    info = kb.regions[region]
    reasons, cited = [], list(info.sources)
    for complaint in complaints or []:
        symptoms = set(complaint.get("symptoms") or ())
        for relation in kb.relations_by_region.get(complaint.get("region", ""), ()):
            if region not in relation.regions or relation.reason in reasons:
                continue
            if relation.symptoms_any and not symptoms & set(relation.symptoms_any):
                continue
            reasons.append(relation.reason)
            cited += [s for s in relation.sources if s not in cited]
    return {
        "region": region,
        "name": info.name,
        "sensitive": info.sensitive,
        "why": info.why,
        "reasons": reasons,
        "draping": info.draping,
        "risks": info.risks,
        "if_declined": info.if_declined,
        "instead": info.if_declined,
        "sources": cited,
    }


def consent_explanations(
    complaints: list[dict] | None = None, knowledge: Knowledge | None = None
) -> list[dict]:
    """``consent_explanation`` for every sensitive region, head to toe."""
    kb = knowledge or load()
    return [consent_explanation(r, complaints, kb) for r in sensitive_regions(kb)]
