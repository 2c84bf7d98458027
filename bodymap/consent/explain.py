"""The words a client reads before deciding about a sensitive region, from the knowledge base.

The page shows `sections` in order and nothing else about the region; `text` is those same sections
joined, which is what is stored (and hashed) with the decision. One list feeds both, so what is
stored is exactly what was shown.
"""

from django.utils.translation import gettext as _

from bodymap import knowledge


def _stopping_text() -> str:
    for topic in knowledge.education_topics():
        if topic["topic"] == "consent_and_stopping":
            return topic["text"]
    raise LookupError("The knowledge base has no 'consent_and_stopping' topic.")


def _as_text(value) -> str:
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value if v)
    return str(value or "")


def explanation_for(region: str, complaints: list[dict] | None = None) -> dict:
    """Everything shown for one region, tailored to the client's complaints, plus the exact text
    that is stored with the decision."""
    info = knowledge.consent_explanation(region, complaints or [])
    stopping = _stopping_text()
    sources = knowledge.sources(info["sources"]) if info.get("sources") else []
    if_declined = info.get("if_declined", info.get("instead", ""))
    sections = [
        {"key": "why", "heading": _("Why it may help you:"), "body": _as_text(info.get("why"))},
    ]
    if info.get("reasons"):
        sections.append(
            {"key": "reasons", "heading": _("For what you told us:"), "points": list(info["reasons"])}
        )
    sections.append(
        {"key": "draping", "heading": _("How you stay covered:"), "body": _as_text(info.get("draping"))}
    )
    if info.get("risks"):
        sections.append({"key": "risks", "heading": _("Risks:"), "body": _as_text(info["risks"])})
    sections.append({"key": "if_declined", "heading": _("Your choice:"), "body": _as_text(if_declined)})
    sections.append({"key": "stopping", "heading": _("Your right to stop:"), "body": stopping})
    if sources:
        sections.append(
            {"key": "sources", "heading": _("Sources:"), "body": "; ".join(s["cited_as"] for s in sources)}
        )
    return {
        **info,
        "if_declined": if_declined,
        "stopping": stopping,
        "source_details": sources,
        "sections": sections,
        "text": text_of(sections),
    }


def text_of(sections: list[dict]) -> str:
    """The sections as plain text, one paragraph each, as stored with a consent decision."""
    parts = []
    for section in sections:
        if section.get("points"):
            parts.append("\n".join([section["heading"], *(f"- {point}" for point in section["points"])]))
        else:
            parts.append(f"{section['heading']} {section['body']}")
    return "\n\n".join(parts)
